namespace Moxxie.Core.Snapshots;

/// <summary>A snapshot Moxxie created with a time to live: the reaper deletes it at PVE once <see cref="ExpiresAt"/> has
/// passed. Keyed by (connection, VMID, snapshot name); a snapshot without a row is never touched.</summary>
public sealed class SnapshotTtl
{
    public long Id { get; set; }
    public required string Connection { get; set; }
    public int VmId { get; set; }
    public required string SnapshotName { get; set; }
    public int TtlHours { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public required string CreatedBy { get; set; }
    /// <summary>The UPID of the creating task.</summary>
    public string? Upid { get; set; }
}
