using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Bulk;

/// <summary>Operation kinds (<see cref="BulkOperation.Kind"/>).</summary>
public static class BulkKinds
{
    public const string Power = "power";
    public const string Snapshot = "snapshot";
    public const string Backup = "backup";
    public const string Tags = "tags";
    public const string Delete = "delete";
    public const string Create = "create";
    /// <summary>Delete snapshots of the selected VMs (<see cref="BulkRequest.SnapshotDelete"/>); one task per VM deletes its
    /// chosen snapshots one after another.</summary>
    public const string SnapshotDelete = "snapshot-delete";

    public static readonly IReadOnlyList<string> All = [Power, Snapshot, Backup, Tags, Delete, Create, SnapshotDelete];
}

/// <summary>Operation states. planned: a dry run kept for "execute this plan"; queued: tasks committed, none started;
/// running; completed: every task final (some may have failed); aborted: an abort cancelled what had not started.</summary>
public static class BulkStatus
{
    public const string Planned = "planned";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Aborted = "aborted";

    public static bool IsFinal(string status) => status is Completed or Aborted;
}

/// <summary>Task states (<see cref="BulkTask.Status"/>).</summary>
public static class BulkTaskStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Succeeded or Failed or Skipped or Cancelled;
}

/// <summary>Why a plan entry would not succeed (<see cref="BulkPlanEntry.ReasonCode"/>).</summary>
public static class BulkReasons
{
    public const string Locked = "locked";
    public const string AlreadyInState = "already-in-state";
    public const string WrongState = "wrong-state";
    public const string Protected = "protected";
    public const string Template = "template";
    public const string NotFound = "not-found";
    public const string Invalid = "invalid";
    public const string NoChange = "no-change";
    /// <summary>At execution: the VM is not as the plan saw it (state, lock, protection, node).</summary>
    public const string Changed = "changed";
}

/// <summary>Which VMs: exactly one of <see cref="VmIds"/>, <see cref="TagExpression"/>, <see cref="NamePattern"/>
/// (<c>web-*</c>, <c>?</c> one character, case-insensitive), <see cref="Node"/> or <see cref="All"/>. <see cref="Connection"/>
/// narrows any of them; templates are never selected (except as create sources).</summary>
public sealed record BulkSelection(
    IReadOnlyList<int>? VmIds = null,
    string? TagExpression = null,
    string? NamePattern = null,
    string? Node = null,
    bool All = false,
    string? Connection = null);

/// <summary>How the tasks run. Parallel (default) with a global limit and a per-node limit, or sequential (one at a time,
/// in plan order). <see cref="TimeoutSeconds"/> is PVE's stop/shutdown timeout; <see cref="Force"/>: shutdown falls back
/// to stop (forceStop), stop overrules a running shutdown. <see cref="SnapshotBeforeTtlHours"/>: take a snapshot with that
/// TTL of each VM before a destructive action (stop, shutdown, reboot, delete).</summary>
public sealed record BulkOptions
{
    public const int DefaultMaxParallel = 40;
    public const int DefaultPerNodeLimit = 4;
    public const int DefaultTaskTimeoutSeconds = 3600;
    public const int DefaultMaxAttempts = 3;

    public bool Parallel { get; init; } = true;
    public int MaxParallel { get; init; } = DefaultMaxParallel;
    public int PerNodeLimit { get; init; } = DefaultPerNodeLimit;
    public int? TimeoutSeconds { get; init; }
    public int TaskTimeoutSeconds { get; init; } = DefaultTaskTimeoutSeconds;
    public bool Force { get; init; }
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;
    public int? SnapshotBeforeTtlHours { get; init; }
}

/// <summary>Snapshot parameters. <see cref="NamePattern"/> may use {vm} (the VM's name made snapshot-safe), {vmid},
/// {date} (yyyyMMdd), {time} (HHmmss), {datetime} (yyyyMMdd-HHmmss), UTC at plan time.</summary>
public sealed record BulkSnapshotParameters(string NamePattern, string? Description = null, int? TtlHours = null, bool IncludeVmState = false);

/// <summary>Which snapshots of each selected VM to delete (see <see cref="Moxxie.Core.Snapshots.SnapshotDeleteCriteria"/>):
/// explicit <see cref="Names"/>, a name <see cref="Pattern"/> (glob), older than <see cref="AgeThresholdHours"/>, past their
/// " (TTL: Nh)" marker (<see cref="CheckDescription"/>), only Moxxie's (<see cref="SafeMode"/>, default on), only those a
/// scheduler job made (<see cref="MadeByJob"/>), keeping the newest <see cref="KeepNewest"/>. At least one of names, pattern,
/// age, checkDescription or keepNewest is required.</summary>
public sealed record BulkSnapshotDeleteParameters(
    IReadOnlyList<string>? Names = null,
    string? Pattern = null,
    int? AgeThresholdHours = null,
    bool CheckDescription = false,
    bool SafeMode = true,
    int? KeepNewest = null,
    string? MadeByJob = null)
{
    public Moxxie.Core.Snapshots.SnapshotDeleteCriteria ToCriteria() => new()
    {
        Names = Names, Pattern = Pattern, AgeThresholdHours = AgeThresholdHours, CheckDescription = CheckDescription, SafeMode = SafeMode,
        KeepNewest = KeepNewest, MadeByJob = MadeByJob,
    };
}

/// <summary>A snapshot-delete task's own parameters (<see cref="BulkTask.ParametersJson"/>): the snapshots to delete in
/// order, and as the task goes those deleted, those already gone and the UPIDs of the deletions done.</summary>
public sealed record BulkSnapshotDeleteTask(IReadOnlyList<string> Names)
{
    public IReadOnlyList<string> Deleted { get; init; } = [];
    public IReadOnlyList<string> Gone { get; init; } = [];
    public IReadOnlyList<string> Upids { get; init; } = [];
}

/// <summary>Backup parameters (vzdump per VM, as <c>BackupService.BackupNowAsync</c>).</summary>
public sealed record BulkBackupParameters(string? Storage = null, string? Mode = "snapshot", string? Compress = "zstd", string? Notes = null, bool Protected = false);

/// <summary>Tags to add or remove (<see cref="BulkOperation.Action"/> add|remove).</summary>
public sealed record BulkTagParameters(IReadOnlyList<string> Tags);

/// <summary>One VM of seed 000's bulk create: a clone of <see cref="TemplateId"/> (a template's VMID or name) named
/// <see cref="Name"/> on <see cref="NodeId"/> (null: elected).</summary>
public sealed record BulkCreateSpec(string Name, string TemplateId, string? NodeId = null, int? Cpu = null, int? MemoryMb = null,
    string? Storage = null, bool Start = false, string? Connection = null);

/// <summary>What to do to which VMs. <see cref="Kind"/> picks the parameters that apply: <see cref="PowerAction"/>
/// (power), <see cref="Snapshot"/>, <see cref="Backup"/>, <see cref="Tags"/> with <see cref="TagAdd"/>, nothing more for
/// delete, <see cref="Create"/> (no selection). <see cref="Source"/> says where the run came from ("api", "ui",
/// "scheduler job 12 fire 2026-12-06T01:00:00Z"); <see cref="Tenant"/> is kept with the operation.</summary>
public sealed record BulkRequest
{
    public required string Kind { get; init; }
    public BulkSelection Selection { get; init; } = new();
    public BulkOptions Options { get; init; } = new();
    public PowerAction? PowerAction { get; init; }
    public BulkSnapshotParameters? Snapshot { get; init; }
    public BulkBackupParameters? Backup { get; init; }
    public BulkTagParameters? Tags { get; init; }
    /// <summary>Tags: true adds, false removes.</summary>
    public bool TagAdd { get; init; } = true;
    public IReadOnlyList<BulkCreateSpec>? Create { get; init; }
    public BulkSnapshotDeleteParameters? SnapshotDelete { get; init; }
    public string Source { get; init; } = "api";
    public string? Tenant { get; init; }
}

/// <summary>One VM in a plan: what would be done (<see cref="Action"/>: start, stop, …, snapshot, backup, tag-add,
/// tag-remove, delete, create, snapshot-delete), the proposed snapshot or VM name, the current snapshot count (snapshot plans), the VM as
/// seen (status, lock, protection, node), and whether it would succeed or why not (<see cref="ReasonCode"/> from
/// <see cref="BulkReasons"/>, <see cref="Reason"/> in words).</summary>
public sealed record BulkPlanEntry(
    int? VmId,
    string VmName,
    string Connection,
    string Node,
    string GuestType,
    string Action,
    bool WouldSucceed,
    string? Reason = null,
    string? ReasonCode = null)
{
    public string? ProposedName { get; init; }
    public int? CurrentSnapshots { get; init; }
    public string? Status { get; init; }
    public string? Lock { get; init; }
    public bool? Protected { get; init; }
    /// <summary>Create only: the clone's spec.</summary>
    public BulkCreateSpec? Create { get; init; }
    /// <summary>Snapshot delete only: every snapshot of the VM (not "current"), deleted or kept and why, oldest first.</summary>
    public IReadOnlyList<Moxxie.Core.Snapshots.SnapshotDecision>? Snapshots { get; init; }
}

/// <summary>A dry run's answer: the plan (kept as operation <see cref="PlanId"/> for "execute this plan"), an estimate of
/// the wall time in seconds with the given limits, and warnings (e.g. "3 VMs are skipped: already stopped").</summary>
public sealed record BulkPlan(string PlanId, string Kind, string Action, IReadOnlyList<BulkPlanEntry> Entries, double EstimatedDurationSeconds,
    IReadOnlyList<string> Warnings)
{
    public int WouldSucceed => Entries.Count(e => e.WouldSucceed);
}

/// <summary>What a submit answers: the operation id, how many tasks were queued (skipped ones included in Total) and its status.</summary>
public sealed record BulkSubmitResult(string OperationId, int Total, int Queued, int Skipped, string Status);

/// <summary>Counts of an operation's tasks by status.</summary>
public sealed record BulkCounts(int Total, int Pending, int Running, int Succeeded, int Failed, int Skipped, int Cancelled)
{
    public static BulkCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);
    public int Final => Succeeded + Failed + Skipped + Cancelled;

    public static BulkCounts Of(IEnumerable<string> statuses)
    {
        int p = 0, r = 0, s = 0, f = 0, k = 0, c = 0, t = 0;
        foreach (var status in statuses)
        {
            t++;
            switch (status)
            {
                case BulkTaskStatus.Pending: p++; break;
                case BulkTaskStatus.Running: r++; break;
                case BulkTaskStatus.Succeeded: s++; break;
                case BulkTaskStatus.Failed: f++; break;
                case BulkTaskStatus.Skipped: k++; break;
                case BulkTaskStatus.Cancelled: c++; break;
            }
        }
        return new BulkCounts(t, p, r, s, f, k, c);
    }
}

/// <summary>One task as shown (API results[], UI detail table).</summary>
public sealed record BulkTaskView(
    long Id, int Seq, int? VmId, string VmName, string Connection, string Node, string Action, string? ProposedName,
    string Status, string? Upid, string? Message, string? Error, int Attempts, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public string? PreSnapshotUpid { get; init; }
    public bool Success => Status == BulkTaskStatus.Succeeded;
}

/// <summary>An operation as shown, with its tasks (empty in lists) and plan.</summary>
public sealed record BulkOperationView(
    string Id, string Kind, string Action, string Status, BulkCounts Counts,
    string RequestedBy, string Source, string? Tenant, string? RetryOf,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    BulkOptions Options, string ParametersJson, IReadOnlyList<BulkTaskView> Tasks)
{
    public bool AbortRequested { get; init; }
    public IReadOnlyList<BulkPlanEntry> Plan { get; init; } = [];
    /// <summary>Seconds from start to finish (or to now while running); null before start.</summary>
    public double? DurationSeconds { get; init; }
}

/// <summary>A page of operations, newest first. Filters: kind, status (any of), requested by, source prefix.</summary>
public sealed record BulkListQuery(int Page = 1, int PageSize = 50, string? Kind = null, IReadOnlyList<string>? Statuses = null,
    string? RequestedBy = null, string? SourcePrefix = null, bool IncludePlanned = false);

public sealed record BulkOperationPage(IReadOnlyList<BulkOperationView> Items, int Total, int Page, int PageSize);

/// <summary>A change in an operation, published after it is committed: a task changed (TaskId set) or the operation did.
/// <see cref="LogLine"/> is a human line for the live log feed ("web-01 (101): stop started UPID:…").</summary>
public sealed record BulkProgressEvent(
    string OperationId, string OperationStatus, BulkCounts Counts, DateTimeOffset Time,
    long? TaskId = null, int? VmId = null, string? VmName = null, string? TaskStatus = null, string? Upid = null, string? LogLine = null);
