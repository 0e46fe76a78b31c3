using Moxxie.Simulator.Model;

namespace Moxxie.Simulator;

/// <summary>
/// POST /nodes/{node}/status command=reboot|shutdown: PVE answers at once and the node goes down about two seconds later,
/// after pve-guests has stopped its guests; a rebooted node is back (new boot time, onboot guests started) after about
/// a minute and a half. Durations are divided by the task speed.
/// </summary>
public sealed partial class SimulatedCluster
{
    internal void NodePower(SimNode n, string command)
    {
        var running = GuestMap.Values.Count(g => g.Node == n.Name && g.IsRunning);
        n.GoesDownAt = Now + TimeSpan.FromSeconds((2 + 0.5 * running) / _taskSpeed);
        n.ComesBackAt = command == "reboot" ? n.GoesDownAt + TimeSpan.FromSeconds(90 / _taskSpeed) : null;
    }

    private void AdvanceNodePower(DateTimeOffset now)
    {
        foreach (var n in Nodes)
        {
            if (n.GoesDownAt is { } down && now >= down)
            {
                foreach (var g in GuestMap.Values.Where(g => g.Node == n.Name && g.IsRunning)) StopGuest(g);
                n.Online = false;
                n.GoesDownAt = null;
            }
            if (n.GoesDownAt is null && n.ComesBackAt is { } up && now >= up)
            {
                n.Online = true;
                n.BootTime = up;
                n.ComesBackAt = null;
                foreach (var g in GuestMap.Values.Where(g => g.Node == n.Name && g.OnBoot && !g.Template && !g.IsRunning)) StartGuest(g);
            }
        }
    }
}
