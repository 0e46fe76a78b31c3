namespace Moxxie.Core.Scheduling;

/// <summary>One execution (or a fire time that was skipped or missed) of a <see cref="ScheduledJob"/>. The row is the
/// claim: (JobId, Trigger, FireTime) is unique, so when several Moxxie instances share one database the instance whose
/// insert succeeds runs that fire time and the others see it taken.</summary>
public sealed class ScheduledJobRun
{
    public long Id { get; set; }
    public required string JobId { get; set; }
    /// <summary>SCHEDULED (a cron fire time) or MANUAL (run now).</summary>
    public required string Trigger { get; set; }
    /// <summary>The cron fire time (UTC) this run stands for; for MANUAL runs the instant it was requested.</summary>
    public DateTimeOffset FireTime { get; set; }
    /// <summary>One of <see cref="ScheduledRunStatus"/>.</summary>
    public required string Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>The Moxxie instance that claimed it (machine name + process id).</summary>
    public required string Instance { get; set; }
    /// <summary>Last time the owning instance looked after this run (a stale one is taken over).</summary>
    public DateTimeOffset HeartbeatAt { get; set; }
    public required string RequestedBy { get; set; }
    /// <summary>The bulk operation this run submitted (its id in the bulk engine).</summary>
    public string? OperationId { get; set; }
    public int AffectedVms { get; set; }
    public int Succeeded { get; set; }
    public int Failed { get; set; }
    /// <summary>Why it was skipped/missed/failed, or a summary.</summary>
    public string? Message { get; set; }
    /// <summary>JSON array of <see cref="ScheduledRunVmResult"/> once the run has ended.</summary>
    public string? ResultsJson { get; set; }
}

public static class ScheduledRunStatus
{
    public const string Running = "RUNNING";
    public const string Success = "SUCCESS";
    /// <summary>Some VMs succeeded, some failed.</summary>
    public const string Partial = "PARTIAL";
    public const string Failed = "FAILED";
    /// <summary>The previous run was still going at the fire time.</summary>
    public const string Skipped = "SKIPPED";
    /// <summary>Moxxie was not running at the fire time and the grace window had passed when it came back.</summary>
    public const string Missed = "MISSED";

    public static bool IsExecution(string status) => status is Success or Partial or Failed or Running;
    public static bool IsFinished(string status) => status is not Running;
}

public static class ScheduledRunTrigger
{
    public const string Scheduled = "SCHEDULED";
    public const string Manual = "MANUAL";
}

/// <summary>One VM's outcome in a run.</summary>
public sealed record ScheduledRunVmResult(int VmId, string? VmName, string? Connection, string Status, string? Message);
