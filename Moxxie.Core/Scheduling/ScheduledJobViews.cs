namespace Moxxie.Core.Scheduling;

/// <summary>What a job is asked to be (create/update).</summary>
public sealed record ScheduledJobInput(
    string? Name,
    string? Description,
    string? TaskType,
    string? CronExpression,
    string? TimeZone,
    bool Enabled,
    IReadOnlyDictionary<string, string?>? Parameters,
    IReadOnlyList<JobSelector>? VmSelectors);

/// <summary>A job as listed (the guide's entry) plus schedule in words and time zone.</summary>
public sealed record ScheduledJobView(
    string Id,
    string Name,
    string? Description,
    string TaskType,
    string CronExpression,
    string TimeZone,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastRun,
    string? LastRunStatus,
    DateTimeOffset? NextRun,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<JobSelector> VmSelectors,
    JobStatistics Statistics,
    string Schedule)
{
    public bool Running => LastRunStatus == ScheduledRunStatus.Running;
}

/// <summary>Executed runs (SUCCESS, PARTIAL, FAILED; SKIPPED and MISSED are not runs); PARTIAL counts as failed;
/// average duration in seconds over finished runs.</summary>
public sealed record JobStatistics(int TotalRuns, int SuccessfulRuns, int FailedRuns, double AverageDuration)
{
    public static JobStatistics Empty { get; } = new(0, 0, 0, 0);
}

/// <summary>One run in the history (the guide's execution entry).</summary>
public sealed record ScheduledRunView(
    long Id,
    string JobId,
    string Trigger,
    DateTimeOffset FireTime,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string Status,
    int AffectedVmCount,
    IReadOnlyList<int> AffectedVms,
    int Successful,
    int Failed,
    IReadOnlyList<ScheduledRunVmResult> Details,
    string? Message,
    string? OperationId,
    string RequestedBy)
{
    public double? DurationSeconds => EndTime is { } end ? Math.Round((end - StartTime).TotalSeconds, 1) : null;

    /// <summary>The bulk operations this run submitted (<see cref="OperationId"/> lists them, ',' per connection, '|' per phase).</summary>
    public IReadOnlyList<string> OperationIds =>
        OperationId is null ? [] : [.. OperationId.Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
}

/// <summary>Cron check for the form: the error (per field) or the next five fire times and the words. <see cref="Fields"/>:
/// the expression split into its 6 or 7 fields (null otherwise); <see cref="ErrorField"/> / <see cref="ErrorFieldName"/>:
/// the index (0 = seconds … 6 = year) and name (<see cref="CronSchedule.FieldNames"/>) of the field the error is about, null
/// when it is about the whole expression.</summary>
public sealed record CronPreview(bool Valid, string? Error, string? Schedule, IReadOnlyList<DateTimeOffset> NextFireTimes, string TimeZone,
    IReadOnlyList<string>? Fields = null, int? ErrorField = null, string? ErrorFieldName = null);
