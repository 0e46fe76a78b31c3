namespace Moxxie.Core.Scheduling;

/// <summary>A scheduled job (guide "Scheduler &amp; Jobs"): what to do (<see cref="TaskType"/> with its
/// <see cref="ParametersJson"/>), to which VMs (<see cref="SelectorsJson"/>, ANDed, evaluated at every run) and when
/// (<see cref="CronExpression"/> read in <see cref="TimeZone"/>). Runs are <see cref="ScheduledJobRun"/> rows.</summary>
public sealed class ScheduledJob
{
    /// <summary>A UUID ("D" format), as the guide shows.</summary>
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>One of <see cref="SchedulerTaskTypes"/>.</summary>
    public required string TaskType { get; set; }
    public required string CronExpression { get; set; }
    /// <summary>IANA (or Windows) zone id the cron expression is read in; "UTC" by default.</summary>
    public string TimeZone { get; set; } = "UTC";
    public bool Enabled { get; set; } = true;
    /// <summary>The task type's parameters as a JSON object of strings (the guide's shape: <c>{"maxSnapshots":"7"}</c>).</summary>
    public string ParametersJson { get; set; } = "{}";
    /// <summary>JSON array of <see cref="JobSelector"/>.</summary>
    public string SelectorsJson { get; set; } = "[]";

    /// <summary>Fire times after this instant count (set on create, on a schedule change and on enable), so time spent
    /// disabled or before the schedule existed is not reported as missed.</summary>
    public DateTimeOffset ScheduleAnchor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}
