namespace Moxxie.Core.Bulk;

/// <summary>A bulk operation (a job): what was asked (kind, action, parameters, selection), the plan it runs, its
/// execution limits, who asked and from where, and its lifecycle. One <see cref="BulkTask"/> row per VM, all committed
/// before any PVE call. A dry run is stored too (status <see cref="BulkStatus.Planned"/>) so "execute this plan" can run
/// exactly that plan later.</summary>
public sealed class BulkOperation
{
    /// <summary>"bulk-" + 16 hex digits.</summary>
    public required string Id { get; set; }

    /// <summary><see cref="BulkKinds"/>: power, snapshot, backup, tags, delete, create.</summary>
    public required string Kind { get; set; }

    /// <summary>The kind's action: start|stop|shutdown|reboot|suspend|resume (power), add|remove (tags), else the kind.</summary>
    public required string Action { get; set; }

    /// <summary><see cref="BulkStatus"/>: planned, queued, running, completed, aborted.</summary>
    public string Status { get; set; } = BulkStatus.Queued;

    /// <summary>The request's parameters as JSON (<see cref="BulkRequest"/> without the selection).</summary>
    public required string ParametersJson { get; set; }

    /// <summary>The selection as given (<see cref="BulkSelection"/> as JSON).</summary>
    public required string SelectionJson { get; set; }

    /// <summary>The plan (<see cref="BulkPlanEntry"/>[] as JSON), as shown by the dry run.</summary>
    public required string PlanJson { get; set; }

    public bool Sequential { get; set; }
    public int MaxParallel { get; set; } = BulkOptions.DefaultMaxParallel;
    public int PerNodeLimit { get; set; } = BulkOptions.DefaultPerNodeLimit;
    /// <summary>Seconds PVE waits (stop/shutdown timeout); null: PVE's default.</summary>
    public int? TimeoutSeconds { get; set; }
    /// <summary>Longest time one task is followed before it is failed (seconds).</summary>
    public int TaskTimeoutSeconds { get; set; } = BulkOptions.DefaultTaskTimeoutSeconds;
    public bool Force { get; set; }
    public int MaxAttempts { get; set; } = BulkOptions.DefaultMaxAttempts;
    /// <summary>A TTL snapshot of each VM before a destructive action (hours to live; null: none).</summary>
    public int? SnapshotBeforeTtlHours { get; set; }

    public int TotalTasks { get; set; }

    public required string RequestedBy { get; set; }
    /// <summary>The requester's address, if any.</summary>
    public string? RequestedFrom { get; set; }
    /// <summary>Where the run came from: "api", "ui", "scheduler job 12 fire 2026-12-06T01:00:00Z", …</summary>
    public required string Source { get; set; }
    public string? Tenant { get; set; }
    /// <summary>The operation whose failed tasks this one retries.</summary>
    public string? RetryOf { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? AbortRequestedAt { get; set; }
    public string? AbortRequestedBy { get; set; }
    /// <summary>Abort also stops the PVE tasks still running.</summary>
    public bool AbortStopsRunning { get; set; }
}
