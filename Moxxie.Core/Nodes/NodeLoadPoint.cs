using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Nodes;

/// <summary>One sample of a node's rrddata: load average (1 min), CPU and IO wait (fractions), memory and swap used (bytes).</summary>
public sealed record NodeLoadPoint(DateTimeOffset Time, double? LoadAverage, double? Cpu, double? IoWait, double? MemUsed, double? MemTotal, double? SwapUsed)
{
    /// <summary>Samples with at least one value, oldest first (PVE leaves empty slots when the node was down).</summary>
    public static IReadOnlyList<NodeLoadPoint> From(IEnumerable<RrdPoint> points) =>
        [.. points
            .Select(p => new NodeLoadPoint(p.Time, p["loadavg"], p["cpu"], p["iowait"], p["memused"], p["memtotal"], p["swapused"]))
            .Where(p => p.LoadAverage is not null || p.Cpu is not null || p.MemUsed is not null)
            .OrderBy(p => p.Time)];
}
