using Moxxie.Core.Proxmox;

namespace Moxxie.Core.VmDetail;

/// <summary>One rrddata sample of a guest: CPU (fraction of its vCPUs), memory used/assigned (bytes), network and disk
/// rates (bytes per second, PVE's averages).</summary>
public sealed record VmMetricPoint(
    DateTimeOffset Time,
    double? Cpu,
    double? Mem,
    double? MaxMem,
    double? NetIn,
    double? NetOut,
    double? DiskRead,
    double? DiskWrite)
{
    /// <summary>Samples with at least one value, oldest first (PVE leaves empty slots while a guest was stopped).</summary>
    public static IReadOnlyList<VmMetricPoint> From(IEnumerable<RrdPoint> points) =>
        [.. points
            .Select(p => new VmMetricPoint(p.Time, p["cpu"], p["mem"], p["maxmem"], p["netin"], p["netout"], p["diskread"], p["diskwrite"]))
            .Where(p => p.Cpu is not null || p.Mem is not null || p.NetIn is not null || p.DiskRead is not null)
            .OrderBy(p => p.Time)];
}
