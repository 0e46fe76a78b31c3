using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Inventory;

/// <summary>
/// What one PVE connection looked like at <see cref="At"/>. Immutable; the refresher publishes a new one per poll.
/// <see cref="Error"/> is set (and the rest is the last good state) when the connection is unreachable.
/// Freshness: <see cref="At"/> is the time of the data shown (the last good refresh), <see cref="CheckedAt"/> the time of
/// the last attempt; <see cref="Stale"/> says the data is older than the connection's current state.
/// </summary>
public sealed record InventorySnapshot(
    string Connection,
    DateTimeOffset At,
    ClusterInfo? Cluster,
    ClusterResources Resources,
    IReadOnlyList<PveTask> Tasks,
    string? Error)
{
    private static readonly IReadOnlyDictionary<int, GuestMetrics> NoMetrics = new Dictionary<int, GuestMetrics>();

    public bool Loaded => Cluster is not null;

    /// <summary>The connection could not be refreshed: what is shown is from <see cref="LastGoodAt"/>.</summary>
    public bool Stale => Error is not null;

    /// <summary>When the data shown was read from PVE (null: never).</summary>
    public DateTimeOffset? LastGoodAt => Loaded ? At : null;

    /// <summary>When the refresher last tried (successfully or not); defaults to <see cref="At"/>.</summary>
    public DateTimeOffset CheckedAt { get => _checkedAt ?? At; init => _checkedAt = value; }

    private readonly DateTimeOffset? _checkedAt;

    /// <summary>Per-guest CPU history and I/O rates (by VMID), computed by the refresher across polls.</summary>
    public IReadOnlyDictionary<int, GuestMetrics> Metrics { get; init; } = NoMetrics;

    public GuestMetrics MetricsOf(int vmId) => Metrics.GetValueOrDefault(vmId) ?? GuestMetrics.Empty;
}

/// <summary>A task Moxxie started and follows to completion, with the log lines seen so far.</summary>
public sealed record TrackedTask(
    string Connection,
    string Node,
    string Upid,
    string Type,
    string? Id,
    string StartedBy,
    DateTimeOffset StartedAt,
    PveTask? Status,
    IReadOnlyList<TaskLogLine> Log,
    /// <summary>0–100 when the task log reports progress, else null (show an indeterminate bar).</summary>
    int? Percent)
{
    public bool Running => Status is null || Status.Running;
}

/// <summary>Something changed: a connection's inventory, or a tracked task.</summary>
public abstract record InventoryEvent;
public sealed record SnapshotUpdated(InventorySnapshot Snapshot) : InventoryEvent;
public sealed record TaskUpdated(TrackedTask Task) : InventoryEvent;
/// <summary>A connection was removed from the registry; its snapshot is gone.</summary>
public sealed record ConnectionRemoved(string Connection) : InventoryEvent;
