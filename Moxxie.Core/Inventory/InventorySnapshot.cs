using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Inventory;

/// <summary>
/// What one PVE connection looked like at <see cref="At"/>. Immutable; the refresher publishes a new one per poll.
/// <see cref="Error"/> is set (and the rest is the last good state) when the connection is unreachable.
/// </summary>
public sealed record InventorySnapshot(
    string Connection,
    DateTimeOffset At,
    ClusterInfo? Cluster,
    ClusterResources Resources,
    IReadOnlyList<PveTask> Tasks,
    string? Error)
{
    public bool Loaded => Cluster is not null;
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
