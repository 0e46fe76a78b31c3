namespace Moxxie.Simulator;

/// <summary>Snapshot of a simulated guest, for tests to inspect.</summary>
/// <param name="Status">"running" or "stopped" (as PVE reports it).</param>
/// <param name="QmpStatus">"running", "paused" or "stopped" (paused VMs are "running" with qmpstatus "paused").</param>
public sealed record SimulatedGuest(
    int Vmid, string Type, string Node, string Name, string Status, string QmpStatus, string? Lock, string Tags, bool Template);

/// <summary>Snapshot of a simulated task.</summary>
/// <param name="Status">"running" or "stopped".</param>
/// <param name="ExitStatus">"OK" or the error message once stopped.</param>
public sealed record SimulatedTask(string Upid, string Node, string Type, string Id, string User, string Status, string? ExitStatus);
