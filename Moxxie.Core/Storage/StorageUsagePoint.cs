using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Storage;

/// <summary>One sample of a storage's rrddata: bytes used and total as one node sees the storage.</summary>
public sealed record StorageUsagePoint(DateTimeOffset Time, double Used, double Total)
{
    /// <summary>Samples with both values, oldest first (PVE leaves empty slots when the storage or node was down).</summary>
    public static IReadOnlyList<StorageUsagePoint> From(IEnumerable<RrdPoint> points) =>
        [.. points
            .Where(p => p["used"] is not null && p["total"] is not null)
            .Select(p => new StorageUsagePoint(p.Time, p["used"]!.Value, p["total"]!.Value))
            .OrderBy(p => p.Time)];
}
