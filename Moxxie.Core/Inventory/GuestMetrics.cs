namespace Moxxie.Core.Inventory;

/// <summary>What one poll alone cannot tell about a guest: its recent CPU history (oldest first, fractions 0..1, one
/// sample per poll, bounded by <see cref="GuestMetricsHistory.Capacity"/>) and I/O rates in bytes per second computed
/// from the deltas of PVE's cumulative counters (netin/netout/diskread/diskwrite) between polls.</summary>
public sealed record GuestMetrics(
    IReadOnlyList<double> CpuHistory,
    double NetInRate,
    double NetOutRate,
    double DiskReadRate,
    double DiskWriteRate)
{
    public static GuestMetrics Empty { get; } = new([], 0, 0, 0, 0);
}
