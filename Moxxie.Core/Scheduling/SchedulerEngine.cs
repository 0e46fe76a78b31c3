using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;

namespace Moxxie.Core.Scheduling;

/// <summary>
/// What is due and who runs it. <see cref="TickAsync"/> (called by the hosted ScheduleRunner every TickInterval, or by
/// tests with a manual clock) does, per enabled job:
/// <list type="number">
/// <item>Fire times after the job's anchor (its last scheduled run's fire time, or when its schedule was set/enabled) up
/// to now, by Quartz (<see cref="CronSchedule"/>, DST rules there).</item>
/// <item>Those older than the grace window are recorded as one MISSED row (at the latest of them, with the count); of
/// those inside it only the latest runs ("run once"), the others are counted in its message.</item>
/// <item>The fire time is <b>claimed</b> by inserting its run row: (JobId, Trigger, FireTime) is unique, so with several
/// instances on one database exactly one insert succeeds and only that instance runs it. If the job's previous run is still
/// RUNNING the row is inserted as SKIPPED instead (never overlapping).</item>
/// <item>The winner evaluates the selectors against the inventory and hands the run to the executor (the bulk engine).</item>
/// </list>
/// Then it advances RUNNING runs this instance owns (and takes over those whose owner went quiet) until the executor
/// reports their outcome. All time comes from <see cref="TimeProvider"/>.
/// </summary>
public sealed class SchedulerEngine(
    IMoxxieDbFactory dbFactory,
    IScheduledRunExecutor executor,
    InventoryHub inventory,
    IAuditLog audit,
    TimeProvider time,
    IOptions<SchedulerOptions> options,
    ILogger<SchedulerEngine>? logger = null)
{
    public const string RunOperation = "SCHEDULER_RUN";
    private const int MaxMissedCounted = 1000;
    private readonly ILogger _logger = logger ?? NullLogger<SchedulerEngine>.Instance;
    private readonly SchedulerOptions _options = options.Value;

    public string Instance { get; } = options.Value.InstanceName
        ?? $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Raised after a run row changed (claimed, skipped, missed, finished), for live pages.</summary>
    public event Action<string>? RunChanged;

    /// <summary>One round: claim and start what is due, then follow running runs. Returns how many runs this instance started.</summary>
    public async Task<int> TickAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<ScheduledJob> jobs;
        await using (var db = await dbFactory.CreateAsync(ct))
            jobs = await db.ScheduledJobs.AsNoTracking().Where(j => j.Enabled).ToListAsync(ct);

        var started = 0;
        foreach (var job in jobs)
        {
            try
            {
                if (await ProcessJobAsync(job, now, ct)) started++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Scheduler could not process job {Job} ({Id})", job.Name, job.Id);
            }
        }
        await AdvanceRunningAsync(ct);
        return started;
    }

    private async Task<bool> ProcessJobAsync(ScheduledJob job, DateTimeOffset now, CancellationToken ct)
    {
        var validation = CronSchedule.Validate(job.CronExpression, job.TimeZone);
        if (!validation.Valid) return false;
        var schedule = validation.Schedule!;

        DateTimeOffset anchor;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var last = await db.ScheduledJobRuns.AsNoTracking()
                .Where(r => r.JobId == job.Id && r.Trigger == ScheduledRunTrigger.Scheduled)
                .OrderByDescending(r => r.FireTime).Select(r => (DateTimeOffset?)r.FireTime).FirstOrDefaultAsync(ct);
            anchor = last is { } l && l > job.ScheduleAnchor ? l : job.ScheduleAnchor;
        }
        if (schedule.NextAfter(anchor) is not { } first || first > now) return false;

        var graceStart = now - _options.GraceWindow;
        // Missed: fire times in (anchor, graceStart).
        if (first < graceStart && schedule.PreviousBefore(graceStart) is { } lastMissed && lastMissed > anchor)
        {
            var missed = schedule.Between(anchor, lastMissed, MaxMissedCounted);
            var count = missed.Count >= MaxMissedCounted ? $"{MaxMissedCounted} or more" : missed.Count.ToString(CultureInfo.InvariantCulture);
            var message = $"{count} fire time(s) missed from {missed[0]:yyyy-MM-dd HH:mm:ss}Z to {lastMissed:yyyy-MM-dd HH:mm:ss}Z: no Moxxie instance was running within the grace window ({_options.GraceWindow}).";
            await TryInsertAsync(NewRow(job, ScheduledRunTrigger.Scheduled, lastMissed, ScheduledRunStatus.Missed, now, "system", message), ct);
            anchor = lastMissed;
        }

        var due = schedule.Between(anchor > graceStart ? anchor : graceStart.AddTicks(-1), now, MaxMissedCounted);
        if (due.Count == 0) return false;
        var fireTime = due[^1];
        var coalesced = due.Count - 1;

        bool previousRunning;
        await using (var db = await dbFactory.CreateAsync(ct))
            previousRunning = await db.ScheduledJobRuns.AnyAsync(r => r.JobId == job.Id && r.Status == ScheduledRunStatus.Running, ct);
        if (previousRunning)
        {
            await TryInsertAsync(NewRow(job, ScheduledRunTrigger.Scheduled, fireTime, ScheduledRunStatus.Skipped, now, "system",
                "Skipped: the previous run of this job was still running."), ct);
            return false;
        }

        var row = NewRow(job, ScheduledRunTrigger.Scheduled, fireTime, ScheduledRunStatus.Running, now, "system",
            coalesced > 0 ? $"Ran once for {coalesced + 1} fire times that fell inside the grace window." : null);
        if (!await TryInsertAsync(row, ct)) return false;   // another instance claimed this fire time
        await StartClaimedAsync(job, row, Actor.System, ct);
        return true;
    }

    /// <summary>Run now (MANUAL): refused with <see cref="SchedulerConflictException"/> while a run of the job is going.</summary>
    internal async Task<ScheduledJobRun> RunNowAsync(ScheduledJob job, Actor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            if (await db.ScheduledJobRuns.AnyAsync(r => r.JobId == job.Id && r.Status == ScheduledRunStatus.Running, ct))
                throw new SchedulerConflictException($"Job '{job.Name}' is running; wait for that run to end.");
        }
        var row = NewRow(job, ScheduledRunTrigger.Manual, now, ScheduledRunStatus.Running, now, actor.UserName, null);
        if (!await TryInsertAsync(row, ct))
            throw new SchedulerConflictException($"Job '{job.Name}' was just started; try again in a moment.");
        await StartClaimedAsync(job, row, actor, ct);
        return row;
    }

    private ScheduledJobRun NewRow(ScheduledJob job, string trigger, DateTimeOffset fireTime, string status, DateTimeOffset now, string by, string? message) => new()
    {
        JobId = job.Id,
        Trigger = trigger,
        FireTime = fireTime,
        Status = status,
        StartedAt = now,
        HeartbeatAt = now,
        EndedAt = status == ScheduledRunStatus.Running ? null : now,
        Instance = Instance,
        RequestedBy = by,
        Message = message,
    };

    /// <summary>Inserts the row; false when (JobId, Trigger, FireTime) is already taken (another instance won).</summary>
    private async Task<bool> TryInsertAsync(ScheduledJobRun row, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateAsync(ct);
            db.ScheduledJobRuns.Add(row);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var db = await dbFactory.CreateAsync(ct);
            if (await db.ScheduledJobRuns.AnyAsync(r => r.JobId == row.JobId && r.Trigger == row.Trigger && r.FireTime == row.FireTime, ct))
                return false;
            throw;
        }
        if (row.Status != ScheduledRunStatus.Running) RunChanged?.Invoke(row.JobId);
        return true;
    }

    private async Task StartClaimedAsync(ScheduledJob job, ScheduledJobRun row, Actor actor, CancellationToken ct)
    {
        var startedAt = time.GetTimestamp();
        try
        {
            var (parameters, errors) = JobParameters.Parse(job.TaskType, ScheduledJobService.ReadParameters(job.ParametersJson));
            var (selectors, selectorErrors) = CompiledSelectors.Compile(ScheduledJobService.ReadSelectors(job.SelectorsJson));
            if (parameters is null || selectors is null)
                throw new InvalidOperationException("The job's stored settings are invalid: " + string.Join(" ", errors.Values.Concat(selectorErrors.Values)));
            CronSchedule.TryResolveZone(job.TimeZone, out var zone);
            var loaded = inventory.Snapshots.Where(s => s.Loaded).ToList();
            if (loaded.Count == 0)
                throw new InvalidOperationException("No Proxmox connection's inventory is loaded yet; nothing could be selected.");
            var vms = selectors.Select(loaded.SelectMany(s => s.Resources.Guests.Select(g => new SelectableVm(s.Connection, g))));
            row.AffectedVms = vms.Count;
            var context = new ScheduledRunContext(job, parameters, vms, row, zone);
            var immediate = vms.Count == 0 ? new ScheduledRunOutcome([], "No VM matched the selectors.") : await executor.StartAsync(context, ct);
            row.HeartbeatAt = time.GetUtcNow();
            if (immediate is not null) Finish(row, immediate);
            await SaveRunAsync(row, ct);
            await WriteAuditAsync(new AuditRecord(actor, RunOperation, "SCHEDULED_JOB", job.Id, true, time.GetElapsedTime(startedAt),
                Details: new { job = job.Name, taskType = job.TaskType, trigger = row.Trigger, fireTime = row.FireTime, affectedVms = vms.Count, operationId = row.OperationId }));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Scheduled run of job {Job} at {FireTime} failed to start", job.Name, row.FireTime);
            row.Status = ScheduledRunStatus.Failed;
            row.EndedAt = time.GetUtcNow();
            row.Message = ex.Message;
            await SaveRunAsync(row, CancellationToken.None);
            await WriteAuditAsync(new AuditRecord(actor, RunOperation, "SCHEDULED_JOB", job.Id, false, time.GetElapsedTime(startedAt),
                Details: new { job = job.Name, taskType = job.TaskType, trigger = row.Trigger, fireTime = row.FireTime }, Error: ex.Message));
        }
    }

    private void Finish(ScheduledJobRun row, ScheduledRunOutcome outcome)
    {
        row.Status = outcome.Status;
        row.EndedAt = time.GetUtcNow();
        row.Succeeded = outcome.Succeeded;
        row.Failed = outcome.Failed;
        row.AffectedVms = Math.Max(row.AffectedVms, outcome.Results.Count);
        row.ResultsJson = JsonSerializer.Serialize(outcome.Results, ScheduledJobService.Json);
        if (outcome.Message is not null) row.Message = row.Message is null ? outcome.Message : row.Message + " " + outcome.Message;
    }

    private async Task SaveRunAsync(ScheduledJobRun row, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            db.ScheduledJobRuns.Update(row);
            await db.SaveChangesAsync(ct);
        }
        RunChanged?.Invoke(row.JobId);
    }

    /// <summary>Follows RUNNING runs: this instance's, and any whose owner has not reported for TakeoverAfter (taken over
    /// with a conditional update, so one instance wins).</summary>
    public async Task AdvanceRunningAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var stale = now - _options.TakeoverAfter;
        List<ScheduledJobRun> running;
        await using (var db = await dbFactory.CreateAsync(ct))
            running = await db.ScheduledJobRuns.AsNoTracking().Where(r => r.Status == ScheduledRunStatus.Running).ToListAsync(ct);

        foreach (var run in running)
        {
            try
            {
                if (run.OperationId is null && run.HeartbeatAt > stale) continue;   // still being handed over
                if (run.Instance != Instance)
                {
                    if (run.HeartbeatAt > stale) continue;
                    await using var db = await dbFactory.CreateAsync(ct);
                    var taken = await db.ScheduledJobRuns
                        .Where(r => r.Id == run.Id && r.Instance == run.Instance && r.HeartbeatAt == run.HeartbeatAt && r.Status == ScheduledRunStatus.Running)
                        .ExecuteUpdateAsync(s => s.SetProperty(r => r.Instance, Instance).SetProperty(r => r.HeartbeatAt, now), ct);
                    if (taken != 1) continue;
                    _logger.LogInformation("Took over run {Run} of job {Job} from {Instance}", run.Id, run.JobId, run.Instance);
                    run.Instance = Instance;
                    run.HeartbeatAt = now;
                }
                await AdvanceAsync(run, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Could not follow run {Run} of job {Job}", run.Id, run.JobId);
            }
        }
    }

    private async Task AdvanceAsync(ScheduledJobRun run, CancellationToken ct)
    {
        ScheduledJob? job;
        await using (var db = await dbFactory.CreateAsync(ct))
            job = await db.ScheduledJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == run.JobId, ct);
        if (job is null) return;
        if (run.OperationId is null)
        {
            // Claimed but never handed over (the instance stopped in between).
            Finish(run, new ScheduledRunOutcome([], "The instance that claimed this run stopped before submitting it."));
            run.Status = ScheduledRunStatus.Failed;
            await SaveRunAsync(run, ct);
            return;
        }
        var (parameters, _) = JobParameters.Parse(job.TaskType, ScheduledJobService.ReadParameters(job.ParametersJson));
        CronSchedule.TryResolveZone(job.TimeZone, out var zone);
        var before = run.OperationId;
        var outcome = await executor.AdvanceAsync(new ScheduledRunContext(job, parameters ?? new PowerOnParameters(), [], run, zone), ct);
        run.HeartbeatAt = time.GetUtcNow();
        if (outcome is not null) Finish(run, outcome);
        if (outcome is not null || before != run.OperationId)
        {
            await SaveRunAsync(run, ct);
        }
        else
        {
            await using var db = await dbFactory.CreateAsync(ct);
            await db.ScheduledJobRuns.Where(r => r.Id == run.Id && r.Instance == Instance)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.HeartbeatAt, run.HeartbeatAt), ct);
        }
    }

    private async Task WriteAuditAsync(AuditRecord record)
    {
        try
        {
            await audit.WriteAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for {ResourceId}", record.Operation, record.ResourceId);
        }
    }
}

/// <summary>The request conflicts with the job's state (a run is going); the API answers 409 CONFLICT.</summary>
public sealed class SchedulerConflictException(string message) : Exception(message);
