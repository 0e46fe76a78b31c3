using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Validation;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>The guide's "Scheduler &amp; Jobs": jobs (list, create, get, update, delete, enable/disable, run now) and their
/// execution history, plus a cron check for forms. Changes need Operator/Admin (403 otherwise) and are audited; invalid
/// input answers VALIDATION_ERROR with per-field details (name, taskType, cronExpression, timeZone, parameters.x,
/// vmSelectors[i].value); a run while one is going answers 409 CONFLICT.</summary>
public static class SchedulerEndpoints
{
    public static RouteGroupBuilder MapSchedulerEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/scheduler").WithTags("Scheduler");
        group.MapGet("/jobs", ListAsync).WithSummary("Scheduled jobs with last run, next run, statistics and the schedule in words.");
        group.MapPost("/jobs", CreateAsync).WithSummary("Create a job: {name, description?, taskType, cronExpression (Quartz, seconds first), timeZone?, enabled?, parameters{}, vmSelectors[{type,value}]}.");
        group.MapGet("/jobs/{id}", GetAsync).WithSummary("One job.");
        group.MapPut("/jobs/{id}", UpdateAsync).WithSummary("Replace a job's settings (same body as create).");
        group.MapDelete("/jobs/{id}", DeleteAsync).WithSummary("Delete a job and its history.");
        group.MapPost("/jobs/{id}/run", RunAsync).WithSummary("Run the job now (through the bulk engine); 409 while a run is going.");
        group.MapPost("/jobs/{id}/enable", EnableAsync).WithSummary("Enable the job (fire times while it was disabled are not 'missed').");
        group.MapPost("/jobs/{id}/disable", DisableAsync).WithSummary("Disable the job.");
        group.MapGet("/jobs/{id}/history", HistoryAsync).WithSummary("The job's runs, newest first (?limit=1..500, default 20): status, times, affected VMs, per-VM results.");
        group.MapGet("/cron", CronAsync).WithSummary("Check a cron expression (?expression=&timeZone=): per-field error, or the schedule in words and the next five fire times.");
        return api;
    }

    internal static ScheduledJobDto Dto(ScheduledJobView j) => new(j.Id, j.Name, j.Description, j.TaskType, j.CronExpression, j.TimeZone, j.Schedule, j.Enabled,
        j.CreatedAt, j.LastRun, j.LastRunStatus, j.NextRun, j.Parameters, [.. j.VmSelectors.Select(s => new JobSelectorDto(s.Type, s.Value))],
        new JobStatisticsDto(j.Statistics.TotalRuns, j.Statistics.SuccessfulRuns, j.Statistics.FailedRuns, j.Statistics.AverageDuration));

    internal static JobExecutionDto Dto(ScheduledRunView r) => new(r.Id.ToString(CultureInfo.InvariantCulture), r.JobId, r.Trigger, r.FireTime, r.StartTime, r.EndTime,
        r.Status, r.DurationSeconds, r.AffectedVms, r.AffectedVmCount, r.Message, r.OperationId, r.RequestedBy,
        new JobExecutionResultsDto(r.Details.Count, r.Successful, r.Failed, [.. r.Details.Select(d => new JobExecutionDetailDto(d.VmId, d.VmName, d.Connection, d.Status, d.Message))]));

    private static async Task<Ok<List<ScheduledJobDto>>> ListAsync(ScheduledJobService jobs, CancellationToken ct) =>
        TypedResults.Ok((await jobs.ListAsync(ct)).Select(Dto).ToList());

    private static async Task<Ok<ScheduledJobDto>> GetAsync(string id, ScheduledJobService jobs, CancellationToken ct) =>
        TypedResults.Ok(Dto(await jobs.GetAsync(id, ct)));

    private static async Task<Created<ScheduledJobDto>> CreateAsync(JsonElement body, HttpContext http, ScheduledJobService jobs)
    {
        var view = await jobs.CreateAsync(ActorFactory.FromHttpContext(http), Input(body), http.RequestAborted);
        return TypedResults.Created($"/api/v1/scheduler/jobs/{view.Id}", Dto(view));
    }

    private static async Task<Ok<ScheduledJobDto>> UpdateAsync(string id, JsonElement body, HttpContext http, ScheduledJobService jobs) =>
        TypedResults.Ok(Dto(await jobs.UpdateAsync(ActorFactory.FromHttpContext(http), id, Input(body), http.RequestAborted)));

    private static async Task<NoContent> DeleteAsync(string id, HttpContext http, ScheduledJobService jobs)
    {
        await jobs.DeleteAsync(ActorFactory.FromHttpContext(http), id, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted<JobExecutionDto>> RunAsync(string id, HttpContext http, ScheduledJobService jobs)
    {
        var run = await jobs.RunNowAsync(ActorFactory.FromHttpContext(http), id, http.RequestAborted);
        return TypedResults.Accepted($"/api/v1/scheduler/jobs/{id}/history?limit=1", Dto(run));
    }

    private static async Task<Ok<ScheduledJobDto>> EnableAsync(string id, HttpContext http, ScheduledJobService jobs) =>
        TypedResults.Ok(Dto(await jobs.SetEnabledAsync(ActorFactory.FromHttpContext(http), id, true, http.RequestAborted)));

    private static async Task<Ok<ScheduledJobDto>> DisableAsync(string id, HttpContext http, ScheduledJobService jobs) =>
        TypedResults.Ok(Dto(await jobs.SetEnabledAsync(ActorFactory.FromHttpContext(http), id, false, http.RequestAborted)));

    private static async Task<Ok<List<JobExecutionDto>>> HistoryAsync(string id, int? limit, ScheduledJobService jobs, CancellationToken ct) =>
        TypedResults.Ok((await jobs.HistoryAsync(id, limit ?? 20, ct)).Select(Dto).ToList());

    private static Ok<CronPreview> CronAsync(string? expression, string? timeZone, ScheduledJobService jobs) =>
        TypedResults.Ok(jobs.PreviewCron(expression, timeZone));

    /// <summary>The body as a job input; parameter values may be strings, numbers or booleans (stored as strings, as the guide shows them).</summary>
    private static ScheduledJobInput Input(JsonElement body)
    {
        var errors = new Dictionary<string, string>();
        var b = JsonBody.Object(body, errors);
        var input = new ScheduledJobInput(b?.String("name"), b?.String("description"), b?.String("taskType"), b?.String("cronExpression"),
            b?.String("timeZone"), b?.Bool("enabled") ?? true, Parameters(body, errors), Selectors(body, errors));
        if (errors.Count > 0) throw new ValidationException("The job was not saved: " + string.Join(" ", errors.Values), errors);
        return input;
    }

    private static Dictionary<string, string?>? Parameters(JsonElement body, Dictionary<string, string> errors)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("parameters", out var p) || p.ValueKind == JsonValueKind.Null) return null;
        if (p.ValueKind != JsonValueKind.Object)
        {
            errors["parameters"] = "Must be an object of name → value.";
            return null;
        }
        var result = new Dictionary<string, string?>();
        foreach (var prop in p.EnumerateObject())
        {
            result[prop.Name] = prop.Value.ValueKind switch
            {
                JsonValueKind.String => prop.Value.GetString(),
                JsonValueKind.Number => prop.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => Invalid(prop.Name),
            };
        }
        return result;

        string? Invalid(string name)
        {
            errors[$"parameters.{name}"] = "Must be a string, number or boolean.";
            return null;
        }
    }

    private static List<JobSelector>? Selectors(JsonElement body, Dictionary<string, string> errors)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("vmSelectors", out var s) || s.ValueKind == JsonValueKind.Null) return null;
        if (s.ValueKind != JsonValueKind.Array)
        {
            errors["vmSelectors"] = "Must be an array of {type, value}.";
            return null;
        }
        var list = new List<JobSelector>();
        var i = 0;
        foreach (var e in s.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                errors[$"vmSelectors[{i}]"] = "Must be an object {type, value}.";
            }
            else
            {
                var sel = new JsonBody(e, errors, $"vmSelectors[{i}].");
                list.Add(new JobSelector(sel.String("type") ?? "", sel.String("value")));
            }
            i++;
        }
        return list;
    }
}

public sealed record ScheduledJobDto(string Id, string Name, string? Description, string TaskType, string CronExpression, string TimeZone, string Schedule, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset? LastRun, string? LastRunStatus, DateTimeOffset? NextRun, IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<JobSelectorDto> VmSelectors, JobStatisticsDto Statistics);

public sealed record JobSelectorDto(string Type, string? Value);

public sealed record JobStatisticsDto(int TotalRuns, int SuccessfulRuns, int FailedRuns, double AverageDuration);

public sealed record JobExecutionDto(string ExecutionId, string JobId, string Trigger, DateTimeOffset FireTime, DateTimeOffset StartTime, DateTimeOffset? EndTime,
    string Status, double? DurationSeconds, IReadOnlyList<int> AffectedVMs, int AffectedVmCount, string? Message, string? OperationId, string RequestedBy,
    JobExecutionResultsDto Results);

public sealed record JobExecutionResultsDto(int Total, int Successful, int Failed, IReadOnlyList<JobExecutionDetailDto> Details);

public sealed record JobExecutionDetailDto(int VmId, string? VmName, string? Connection, string Status, string? Message);
