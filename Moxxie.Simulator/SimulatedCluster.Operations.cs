namespace Moxxie.Simulator;

/// <summary>State read by the runtime control (/_sim/…).</summary>
public sealed partial class SimulatedCluster
{
    /// <summary>Names of the nodes currently off-line.</summary>
    public IReadOnlyList<string> OfflineNodeNames
    {
        get { lock (Gate) return Nodes.Where(n => !n.Online).Select(n => n.Name).ToList(); }
    }
}
