using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Scheduling;

/// <summary>Scheduled jobs for the API and the pages: list (with last/next run and statistics), get, create, update,
/// delete, enable/disable, run now, history, cron check and selector preview. Changes need Operator or Admin
/// (<see cref="ForbiddenException"/> otherwise) and are audited (SCHEDULER_JOB_CREATE|UPDATE|DELETE|ENABLE|DISABLE, runs
/// SCHEDULER_RUN). Bad input throws <see cref="ValidationException"/> with details keyed name, taskType, cronExpression,
/// timeZone, parameters.&lt;name&gt;, vmSelectors[i].value.</summary>
public sealed class ScheduledJobService(
    IMoxxieDbFactory dbFactory,
    SchedulerEngine engine,
    InventoryHub inventory,
    IAuditLog audit,
    TimeProvider time,
    ILogger<ScheduledJobService>? logger = null)
{
    public const string ResourceType = "SCHEDULED_JOB";
    public const int MaxNameLength = 100;
    public const int MaxHistory = 500;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ILogger _logger = logger ?? NullLogger<ScheduledJobService>.Instance;

    public async Task<IReadOnlyList<ScheduledJobView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var jobs = await db.ScheduledJobs.AsNoTracking().OrderBy(j => j.Name).ToListAsync(ct);
        var runs = await db.ScheduledJobRuns.AsNoTracking()
            .Select(r => new RunStat(r.JobId, r.Status, r.StartedAt, r.EndedAt, r.FireTime, r.Id, r.Trigger)).ToListAsync(ct);
        var byJob = runs.ToLookup(r => r.JobId);
        return [.. jobs.Select(j => View(j, byJob[j.Id]))];
    }

    public async Task<ScheduledJobView> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var job = await db.ScheduledJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct) ?? throw NotFound(id);
        var runs = await db.ScheduledJobRuns.AsNoTracking().Where(r => r.JobId == id)
            .Select(r => new RunStat(r.JobId, r.Status, r.StartedAt, r.EndedAt, r.FireTime, r.Id, r.Trigger)).ToListAsync(ct);
        return View(job, runs);
    }

    public async Task<ScheduledJobView> CreateAsync(Actor actor, ScheduledJobInput input, CancellationToken ct)
    {
        RequireOperator(actor);
        var now = time.GetUtcNow();
        var (job, _) = await CheckAsync(input, null, ct);
        job.Id = Guid.NewGuid().ToString("D");
        job.ScheduleAnchor = now;
        job.CreatedAt = job.UpdatedAt = now;
        job.CreatedBy = job.UpdatedBy = actor.UserName;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            db.ScheduledJobs.Add(job);
            await db.SaveChangesAsync(ct);
        }
        await WriteAuditAsync(actor, "SCHEDULER_JOB_CREATE", job, new { job.Name, job.TaskType, job.CronExpression, job.TimeZone, job.Enabled });
        return await GetAsync(job.Id, ct);
    }

    public async Task<ScheduledJobView> UpdateAsync(Actor actor, string id, ScheduledJobInput input, CancellationToken ct)
    {
        RequireOperator(actor);
        var now = time.GetUtcNow();
        var (checkedJob, _) = await CheckAsync(input, id, ct);
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var job = await db.ScheduledJobs.FirstOrDefaultAsync(j => j.Id == id, ct) ?? throw NotFound(id);
            var scheduleChanged = job.CronExpression != checkedJob.CronExpression || job.TimeZone != checkedJob.TimeZone || (!job.Enabled && checkedJob.Enabled);
            job.Name = checkedJob.Name;
            job.Description = checkedJob.Description;
            job.TaskType = checkedJob.TaskType;
            job.CronExpression = checkedJob.CronExpression;
            job.TimeZone = checkedJob.TimeZone;
            job.Enabled = checkedJob.Enabled;
            job.ParametersJson = checkedJob.ParametersJson;
            job.SelectorsJson = checkedJob.SelectorsJson;
            if (scheduleChanged) job.ScheduleAnchor = now;
            job.UpdatedAt = now;
            job.UpdatedBy = actor.UserName;
            await db.SaveChangesAsync(ct);
            await WriteAuditAsync(actor, "SCHEDULER_JOB_UPDATE", job, new { job.Name, job.TaskType, job.CronExpression, job.TimeZone, job.Enabled });
        }
        return await GetAsync(id, ct);
    }

    public async Task DeleteAsync(Actor actor, string id, CancellationToken ct)
    {
        RequireOperator(actor);
        await using var db = await dbFactory.CreateAsync(ct);
        var job = await db.ScheduledJobs.FirstOrDefaultAsync(j => j.Id == id, ct) ?? throw NotFound(id);
        db.ScheduledJobs.Remove(job);
        await db.ScheduledJobRuns.Where(r => r.JobId == id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        await WriteAuditAsync(actor, "SCHEDULER_JOB_DELETE", job, new { job.Name });
    }

    public async Task<ScheduledJobView> SetEnabledAsync(Actor actor, string id, bool enabled, CancellationToken ct)
    {
        RequireOperator(actor);
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var job = await db.ScheduledJobs.FirstOrDefaultAsync(j => j.Id == id, ct) ?? throw NotFound(id);
            if (job.Enabled != enabled)
            {
                job.Enabled = enabled;
                var now = time.GetUtcNow();
                if (enabled) job.ScheduleAnchor = now;   // time spent disabled is not "missed"
                job.UpdatedAt = now;
                job.UpdatedBy = actor.UserName;
                await db.SaveChangesAsync(ct);
            }
            await WriteAuditAsync(actor, enabled ? "SCHEDULER_JOB_ENABLE" : "SCHEDULER_JOB_DISABLE", job, new { job.Name });
        }
        return await GetAsync(id, ct);
    }

    /// <summary>Starts a MANUAL run now (disabled jobs too); 409 while a run of the job is going.</summary>
    public async Task<ScheduledRunView> RunNowAsync(Actor actor, string id, CancellationToken ct)
    {
        RequireOperator(actor);
        ScheduledJob job;
        await using (var db = await dbFactory.CreateAsync(ct))
            job = await db.ScheduledJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct) ?? throw NotFound(id);
        var run = await engine.RunNowAsync(job, actor, ct);
        return RunView(run);
    }

    public async Task<IReadOnlyList<ScheduledRunView>> HistoryAsync(string id, int limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxHistory) throw ValidationException.For("limit", $"Between 1 and {MaxHistory}.");
        await using var db = await dbFactory.CreateAsync(ct);
        if (!await db.ScheduledJobs.AnyAsync(j => j.Id == id, ct)) throw NotFound(id);
        var runs = await db.ScheduledJobRuns.AsNoTracking().Where(r => r.JobId == id)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        return [.. runs.Select(RunView)];
    }

    public async Task<ScheduledRunView?> GetRunAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var run = await db.ScheduledJobRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        return run is null ? null : RunView(run);
    }

    /// <summary>The cron check the form shows: per-field error (and which field), or the schedule in words and the next five fire times.</summary>
    public CronPreview PreviewCron(string? expression, string? timeZone, int count = 5)
    {
        var v = CronSchedule.Validate(expression, timeZone);
        var zone = string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim();
        if (!v.Valid) return new CronPreview(false, string.Join(" ", v.Errors.Values), null, [], zone, v.Fields, v.Field, v.FieldName);
        var next = v.Schedule!.Next(time.GetUtcNow(), count);
        if (next.Count == 0) return new CronPreview(false, "This expression never fires again.", v.Schedule.Describe(), [], zone, v.Fields);
        return new CronPreview(true, null, v.Schedule.Describe(), next, zone, v.Fields);
    }

    /// <summary>The VMs the selectors pick right now (what a run would act on).</summary>
    public IReadOnlyList<SelectableVm> PreviewSelection(IReadOnlyList<JobSelector>? selectors)
    {
        var (compiled, errors) = CompiledSelectors.Compile(selectors);
        if (compiled is null) throw new ValidationException("The VM selectors are not valid: " + string.Join(" ", errors.Values), errors);
        return compiled.Select(inventory.Snapshots.Where(s => s.Loaded).SelectMany(s => s.Resources.Guests.Select(g => new SelectableVm(s.Connection, g))));
    }

    /// <summary>What the selector builder's pickers offer: nodes, pools and tags of the loaded inventory (see <see cref="SelectorChoices.From"/>).</summary>
    public SelectorChoices Choices() => SelectorChoices.From(inventory.Snapshots.Where(s => s.Loaded).Select(s => s.Resources));

    private async Task<(ScheduledJob Job, JobParameters Parameters)> CheckAsync(ScheduledJobInput input, string? id, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0) errors["name"] = "A name is required.";
        else if (name.Length > MaxNameLength) errors["name"] = $"At most {MaxNameLength} characters.";
        var taskType = input.TaskType?.Trim().ToLowerInvariant() ?? "";
        if (!SchedulerTaskTypes.All.Contains(taskType))
            errors["taskType"] = $"Choose one of {string.Join(", ", SchedulerTaskTypes.All)}.";
        var cron = CronSchedule.Validate(input.CronExpression, input.TimeZone);
        foreach (var (k, v) in cron.Errors) errors[k] = v;
        if (cron.Valid && cron.Schedule!.NextAfter(time.GetUtcNow()) is null)
            errors["cronExpression"] = "This expression never fires again.";
        JobParameters? parameters = null;
        if (errors.ContainsKey("taskType") is false)
        {
            var (p, pErrors) = JobParameters.Parse(taskType, input.Parameters);
            parameters = p;
            foreach (var (k, v) in pErrors) errors[k] = v;
        }
        var (_, sErrors) = CompiledSelectors.Compile(input.VmSelectors);
        foreach (var (k, v) in sErrors) errors[k] = v;
        if (input.Description is { Length: > 1000 }) errors["description"] = "At most 1000 characters.";

        if (!errors.ContainsKey("name"))
        {
            await using var db = await dbFactory.CreateAsync(ct);
            if (await db.ScheduledJobs.AnyAsync(j => j.Name == name && j.Id != id, ct))
                errors["name"] = $"A job named '{name}' already exists.";
        }
        if (errors.Count > 0) throw new ValidationException("The job was not saved: " + string.Join(" ", errors.Values), errors);

        var selectors = input.VmSelectors!.Select(s => new JobSelector(s.Type.Trim().ToUpperInvariant(), s.Value?.Trim())).ToList();
        var job = new ScheduledJob
        {
            Id = id ?? "",
            Name = name,
            Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(),
            TaskType = taskType,
            CronExpression = cron.Schedule!.Expression,
            TimeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? "UTC" : input.TimeZone.Trim(),
            Enabled = input.Enabled,
            ParametersJson = JsonSerializer.Serialize(parameters!.ToDictionary(), Json),
            SelectorsJson = JsonSerializer.Serialize(selectors, Json),
            CreatedBy = "",
            UpdatedBy = "",
        };
        return (job, parameters);
    }

    private ScheduledJobView View(ScheduledJob job, IEnumerable<RunStat> runs)
    {
        var list = runs.ToList();
        var last = list.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .FirstOrDefault(r => r.Status is not ScheduledRunStatus.Missed);
        var executed = list.Where(r => r.Status is ScheduledRunStatus.Success or ScheduledRunStatus.Partial or ScheduledRunStatus.Failed).ToList();
        var durations = executed.Where(r => r.EndedAt is not null).Select(r => (r.EndedAt!.Value - r.StartedAt).TotalSeconds).ToList();
        var stats = new JobStatistics(executed.Count, executed.Count(r => r.Status == ScheduledRunStatus.Success),
            executed.Count(r => r.Status != ScheduledRunStatus.Success), durations.Count == 0 ? 0 : Math.Round(durations.Average(), 1));
        var v = CronSchedule.Validate(job.CronExpression, job.TimeZone);
        DateTimeOffset? next = null;
        if (job.Enabled && v.Valid)
        {
            var lastFire = list.Where(r => r.Trigger == ScheduledRunTrigger.Scheduled).Select(r => (DateTimeOffset?)r.FireTime).Max();
            var from = time.GetUtcNow();
            next = v.Schedule!.NextAfter(lastFire is { } lf && lf > from ? lf : from);
        }
        return new ScheduledJobView(job.Id, job.Name, job.Description, job.TaskType, job.CronExpression, job.TimeZone, job.Enabled, job.CreatedAt,
            last?.StartedAt, last?.Status, next, ReadParameters(job.ParametersJson).ToDictionary(kv => kv.Key, kv => kv.Value ?? ""),
            ReadSelectors(job.SelectorsJson), stats, v.Valid ? v.Schedule!.Describe() : job.CronExpression);
    }

    internal static ScheduledRunView RunView(ScheduledJobRun r)
    {
        IReadOnlyList<ScheduledRunVmResult> details = string.IsNullOrEmpty(r.ResultsJson)
            ? [] : JsonSerializer.Deserialize<List<ScheduledRunVmResult>>(r.ResultsJson, Json) ?? [];
        return new ScheduledRunView(r.Id, r.JobId, r.Trigger, r.FireTime, r.StartedAt, r.EndedAt, r.Status, r.AffectedVms,
            [.. details.Select(d => d.VmId).Distinct()], r.Succeeded, r.Failed, details, r.Message, r.OperationId, r.RequestedBy);
    }

    internal static Dictionary<string, string?> ReadParameters(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string?>>(json, Json) ?? [];

    internal static IReadOnlyList<JobSelector> ReadSelectors(string json) =>
        JsonSerializer.Deserialize<List<JobSelector>>(json, Json) ?? [];

    private static void RequireOperator(Actor actor)
    {
        if (!actor.CanOperate) throw new ForbiddenException("Changing scheduled jobs needs the Operator or Admin role.");
    }

    private static KeyNotFoundException NotFound(string id) => new($"No scheduled job with id '{id}'.");

    private async Task WriteAuditAsync(Actor actor, string operation, ScheduledJob job, object details)
    {
        try
        {
            await audit.WriteAsync(new AuditRecord(actor, operation, ResourceType, job.Id, true, TimeSpan.Zero, Details: details), CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for job {Id}", operation, job.Id);
        }
    }

    private sealed record RunStat(string JobId, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, DateTimeOffset FireTime, long Id, string Trigger);
}
