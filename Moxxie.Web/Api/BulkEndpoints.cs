using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Validation;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>Bulk operations (issue 7, guide "Bulk Operations"): POST /bulk/power/{action}, /bulk/snapshots, /bulk/backups,
/// /bulk/tags, /bulk/delete take the VMs (exactly one of vmIds, tagExpression, namePattern, node, all; connection narrows),
/// options and dryRun. A dry run answers the guide's dry-run shape (affectedVMs, estimatedDuration, warnings) plus the
/// planId that POST /bulk/operations/{planId}/execute runs exactly; a real run answers 202 with operationId and links.
/// GET /bulk/operations/{id} gives the guide's result shape. Seed 000: GET /jobs/{id}. Operators and Admins only for POSTs.</summary>
public static class BulkEndpoints
{
    public static RouteGroupBuilder MapBulkEndpoints(this RouteGroupBuilder api)
    {
        var bulk = api.MapGroup("/bulk").WithTags("Bulk operations");
        bulk.MapPost("/power/{action}", PowerAsync).WithSummary("Power action (start, stop, shutdown, reboot, suspend, resume) on many VMs; " +
            "options force, timeout, parallel, maxParallel, perNodeLimit, snapshotBefore (TTL hours); dryRun answers the plan.");
        bulk.MapPost("/snapshots", SnapshotsAsync).WithSummary("Snapshot many VMs: snapshotName pattern ({vm}, {vmid}, {date}, {time}, {datetime}), " +
            "description, ttlHours, includeVMState.");
        bulk.MapPost("/backups", BackupsAsync).WithSummary("Back up many VMs: storage, mode, compress, notes, protected.");
        bulk.MapPost("/tags", TagsAsync).WithSummary("Add or remove tags on many VMs: action ADD|REMOVE, tags.");
        bulk.MapPost("/snapshots/delete", SnapshotDeleteAsync).WithSummary("Delete snapshots of many VMs: snapshotNames, snapshotPattern (glob), " +
            "ageThresholdHours, checkDescription (honour ' (TTL: Nh)'), safeMode (default true: only snapshots Moxxie made), keepNewest; " +
            "'current' is never deleted; a dry run lists per VM what would be deleted and what kept, and why.");
        bulk.MapPost("/delete", DeleteAsync).WithSummary("Remove many VMs (purge, unreferenced disks); protected or running VMs are skipped.");
        bulk.MapGet("/operations", ListAsync).WithSummary("Bulk operations, newest first (page, pageSize, kind, status).");
        bulk.MapGet("/operations/{id}", GetAsync).WithSummary("One operation: totalTargets, successful, failed, inProgress, results[], summary.");
        bulk.MapPost("/operations/{id}/execute", ExecuteAsync).WithSummary("Run a dry run's plan exactly (once); a VM that changed since fails with the reason.");
        bulk.MapPost("/operations/{id}/abort", AbortAsync).WithSummary("Cancel the tasks not started; stopRunning=true also stops running PVE tasks.");
        bulk.MapPost("/operations/{id}/retry", RetryAsync).WithSummary("A new operation for the failed tasks only.");

        api.MapGroup("/jobs").WithTags("Bulk operations")
            .MapGet("/{id}", JobAsync).WithSummary("Seed 000's job view of a bulk operation: status, progress {total, completed, failed}, tasks[].");
        return api;
    }

    private static Task<IResult> PowerAsync(string action, JsonElement body, HttpContext http, IBulkOperationService bulk)
    {
        var errors = new Dictionary<string, string>();
        PowerAction? pa = Enum.TryParse<PowerAction>(action, ignoreCase: true, out var a) && BulkRules.PowerActions.Contains(a) && !int.TryParse(action, out _) ? a : null;
        // An unknown action is reported by the service with the other fields (details.action).
        return RunAsync(body, errors, b => new BulkRequest { Kind = BulkKinds.Power, PowerAction = pa }, http, bulk);
    }

    private static Task<IResult> SnapshotsAsync(JsonElement body, HttpContext http, IBulkOperationService bulk) =>
        RunAsync(body, [], b => new BulkRequest
        {
            Kind = BulkKinds.Snapshot,
            Snapshot = new BulkSnapshotParameters(b.String("snapshotName") ?? b.String("name") ?? "", b.String("description"), b.Int("ttlHours"),
                b.Bool("includeVMState") ?? b.Bool("vmstate") ?? false),
        }, http, bulk);

    private static Task<IResult> BackupsAsync(JsonElement body, HttpContext http, IBulkOperationService bulk) =>
        RunAsync(body, [], b => new BulkRequest
        {
            Kind = BulkKinds.Backup,
            Backup = new BulkBackupParameters(b.String("storage"), b.String("mode") ?? "snapshot", b.String("compress") ?? "zstd", b.String("notes"), b.Bool("protected") ?? false),
        }, http, bulk);

    private static Task<IResult> TagsAsync(JsonElement body, HttpContext http, IBulkOperationService bulk) =>
        RunAsync(body, [], b =>
        {
            var action = b.String("action");
            if (!string.Equals(action, "ADD", StringComparison.OrdinalIgnoreCase) && !string.Equals(action, "REMOVE", StringComparison.OrdinalIgnoreCase))
                b.Errors.TryAdd("action", "ADD or REMOVE.");
            return new BulkRequest
            {
                Kind = BulkKinds.Tags, Tags = new BulkTagParameters(b.Strings("tags") ?? []), TagAdd = !string.Equals(action, "REMOVE", StringComparison.OrdinalIgnoreCase),
            };
        }, http, bulk);

    private static Task<IResult> SnapshotDeleteAsync(JsonElement body, HttpContext http, IBulkOperationService bulk) =>
        RunAsync(body, [], b => new BulkRequest
        {
            Kind = BulkKinds.SnapshotDelete,
            SnapshotDelete = new BulkSnapshotDeleteParameters(b.Strings("snapshotNames"), b.String("snapshotPattern"), b.Int("ageThresholdHours"),
                b.Bool("checkDescription") ?? false, b.Bool("safeMode") ?? true, b.Int("keepNewest")),
        }, http, bulk);

    private static Task<IResult> DeleteAsync(JsonElement body, HttpContext http, IBulkOperationService bulk) =>
        RunAsync(body, [], _ => new BulkRequest { Kind = BulkKinds.Delete }, http, bulk);

    /// <summary>Reads selection, options and dryRun around the kind's parameters; plans (dry run) or submits.</summary>
    private static async Task<IResult> RunAsync(JsonElement body, Dictionary<string, string> errors, Func<JsonBody, BulkRequest> read, HttpContext http, IBulkOperationService bulk)
    {
        BulkRequest? request = null;
        var dryRun = false;
        if (JsonBody.Object(body, errors) is { } b)
        {
            request = read(b) with { Selection = Selection(b), Options = Options(b), Source = b.String("source") ?? "api", Tenant = b.String("tenant") };
            dryRun = b.Bool("dryRun") ?? false;
        }
        if (errors.Count > 0) throw new ValidationException("The bulk operation was not accepted: " + string.Join(" ", errors.Values), errors);
        var actor = ActorFactory.FromHttpContext(http);
        if (dryRun) return TypedResults.Ok(DryRunDto.From(await bulk.PlanAsync(actor, request!, http.RequestAborted)));
        return Accepted(await bulk.SubmitAsync(actor, request!, http.RequestAborted));
    }

    internal static BulkSelection Selection(JsonBody b) => new(b.Ints("vmIds"), b.String("tagExpression") ?? b.String("expression"), b.String("namePattern"),
        b.String("node"), b.Bool("all") ?? false, b.String("connection"));

    internal static BulkOptions Options(JsonBody b)
    {
        var o = new BulkOptions();
        var parallel = b.Bool("parallel") ?? !(b.Bool("sequential") ?? false);
        int? snapshotBefore = b.Int("snapshotBeforeTtlHours");
        if (snapshotBefore is null && b.Bool("snapshotBefore") is true) snapshotBefore = 24;
        return o with
        {
            Parallel = parallel, MaxParallel = b.Int("maxParallel") ?? o.MaxParallel, PerNodeLimit = b.Int("perNodeLimit") ?? o.PerNodeLimit,
            TimeoutSeconds = b.Int("timeout"), TaskTimeoutSeconds = b.Int("taskTimeout") ?? o.TaskTimeoutSeconds, Force = b.Bool("force") ?? false,
            MaxAttempts = b.Int("maxAttempts") ?? o.MaxAttempts, SnapshotBeforeTtlHours = snapshotBefore,
        };
    }

    internal static IResult Accepted(BulkSubmitResult r) =>
        TypedResults.Accepted($"/api/v1/bulk/operations/{r.OperationId}", new SubmittedDto(r.OperationId, r.Status, r.Total, r.Queued, r.Skipped, Links(r.OperationId)));

    private static Dictionary<string, string> Links(string id) => new()
    {
        ["self"] = $"/api/v1/bulk/operations/{id}", ["abort"] = $"/api/v1/bulk/operations/{id}/abort",
        ["retry"] = $"/api/v1/bulk/operations/{id}/retry", ["job"] = $"/api/v1/jobs/{id}",
    };

    private static async Task<IResult> ExecuteAsync(string id, HttpContext http, IBulkOperationService bulk) =>
        Accepted(await bulk.ExecutePlanAsync(ActorFactory.FromHttpContext(http), id, http.RequestAborted));

    private static async Task<Ok<OperationDto>> AbortAsync(string id, bool? stopRunning, HttpContext http, IBulkOperationService bulk) =>
        TypedResults.Ok(OperationDto.From(await bulk.AbortAsync(ActorFactory.FromHttpContext(http), id, stopRunning ?? false, http.RequestAborted)));

    private static async Task<IResult> RetryAsync(string id, HttpContext http, IBulkOperationService bulk) =>
        Accepted(await bulk.RetryFailedAsync(ActorFactory.FromHttpContext(http), id, http.RequestAborted));

    private static async Task<Ok<OperationDto>> GetAsync(string id, IBulkOperationService bulk, CancellationToken ct) =>
        TypedResults.Ok(OperationDto.From(await bulk.GetAsync(id, ct) ?? throw new KeyNotFoundException($"Bulk operation {id} not found.")));

    private static async Task<Ok<OperationListDto>> ListAsync(string? page, string? pageSize, string? kind, string? status, IBulkOperationService bulk, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var p = ApiQuery.Page(page, errors) ?? 1;
        var size = ApiQuery.Limit(pageSize, 20, errors, 200) ?? 20;
        if (kind is not null && !BulkKinds.All.Contains(kind)) errors["kind"] = $"One of {string.Join(", ", BulkKinds.All)}.";
        ApiQuery.ThrowIfAny(errors);
        var statuses = status?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await bulk.ListAsync(new BulkListQuery(p, size, kind, statuses), ct);
        return TypedResults.Ok(new OperationListDto([.. result.Items.Select(v => OperationDto.From(v) with { Results = null })], result.Total, result.Page, result.PageSize));
    }

    private static async Task<Ok<JobDto>> JobAsync(string id, IBulkOperationService bulk, CancellationToken ct)
    {
        var v = await bulk.GetAsync(id, ct) ?? throw new KeyNotFoundException($"Job {id} not found.");
        var c = v.Counts;
        return TypedResults.Ok(new JobDto(v.Id, v.Status, new JobProgressDto(c.Total, c.Succeeded, c.Failed + c.Cancelled),
            [.. v.Tasks.Select(t => new JobTaskDto(t.VmId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? t.VmName, t.VmName,
                t.Status == BulkTaskStatus.Succeeded ? "success" : t.Status, t.Upid, t.Error))]));
    }
}

public sealed record SubmittedDto(
    [property: JsonPropertyName("operationId")] string OperationId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("totalTargets")] int TotalTargets,
    [property: JsonPropertyName("queued")] int Queued,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("links")] IReadOnlyDictionary<string, string> Links);

/// <summary>The guide's dry-run answer, plus planId (run it with POST /bulk/operations/{planId}/execute).</summary>
public sealed record DryRunDto(
    [property: JsonPropertyName("dryRun")] bool DryRun,
    [property: JsonPropertyName("planId")] string PlanId,
    [property: JsonPropertyName("operation")] string Operation,
    [property: JsonPropertyName("affectedVMs")] IReadOnlyList<PlanEntryDto> AffectedVms,
    [property: JsonPropertyName("estimatedDuration")] double EstimatedDuration,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings,
    [property: JsonPropertyName("links")] IReadOnlyDictionary<string, string> Links)
{
    public static DryRunDto From(BulkPlan p) =>
        new(true, p.PlanId, $"{p.Kind}:{p.Action}", [.. p.Entries.Select(PlanEntryDto.From)], Math.Round(p.EstimatedDurationSeconds, 1), p.Warnings,
            new Dictionary<string, string> { ["execute"] = $"/api/v1/bulk/operations/{p.PlanId}/execute" });
}

public sealed record PlanEntryDto(
    [property: JsonPropertyName("vmId")] int? VmId,
    [property: JsonPropertyName("vmName")] string VmName,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("currentStatus")] string? CurrentStatus,
    [property: JsonPropertyName("lock")] string? Lock,
    [property: JsonPropertyName("protected")] bool? Protected,
    [property: JsonPropertyName("currentSnapshots")] int? CurrentSnapshots,
    [property: JsonPropertyName("proposedName")] string? ProposedName,
    [property: JsonPropertyName("wouldSucceed")] bool WouldSucceed,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("reasonCode")] string? ReasonCode)
{
    /// <summary>Snapshot delete: each snapshot of the VM, "delete" or "keep", and why.</summary>
    [JsonPropertyName("snapshots"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SnapshotDecisionDto>? Snapshots { get; init; }

    public static PlanEntryDto From(BulkPlanEntry e) =>
        new(e.VmId, e.VmName, e.Connection, e.Node, e.Action, e.Status, e.Lock, e.Protected, e.CurrentSnapshots, e.ProposedName, e.WouldSucceed, e.Reason, e.ReasonCode)
        {
            Snapshots = e.Snapshots?.Select(d => new SnapshotDecisionDto(d.Name, d.Time, d.Delete ? "delete" : "keep", d.Reason)).ToList(),
        };
}

public sealed record SnapshotDecisionDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("snaptime")] DateTimeOffset? Time,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>The guide's bulk result: totalTargets, successful, failed, inProgress (pending + running), results[], summary;
/// plus the operation's kind, action, status and the other counts.</summary>
public sealed record OperationDto(
    [property: JsonPropertyName("operationId")] string OperationId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("totalTargets")] int TotalTargets,
    [property: JsonPropertyName("successful")] int Successful,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("inProgress")] int InProgress,
    [property: JsonPropertyName("skipped")] int Skipped,
    [property: JsonPropertyName("cancelled")] int Cancelled,
    [property: JsonPropertyName("requestedBy")] string RequestedBy,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("retryOf")] string? RetryOf,
    [property: JsonPropertyName("abortRequested")] bool AbortRequested,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("results")] IReadOnlyList<OperationResultDto>? Results,
    [property: JsonPropertyName("summary")] OperationSummaryDto Summary)
{
    public static OperationDto From(BulkOperationView v) =>
        new(v.Id, v.Kind, v.Action, v.Status, v.Counts.Total, v.Counts.Succeeded, v.Counts.Failed, v.Counts.Pending + v.Counts.Running,
            v.Counts.Skipped, v.Counts.Cancelled, v.RequestedBy, v.Source, v.RetryOf, v.AbortRequested, v.CreatedAt,
            [.. v.Tasks.Select(OperationResultDto.From)], new OperationSummaryDto(v.DurationSeconds, v.StartedAt, v.FinishedAt));
}

public sealed record OperationResultDto(
    [property: JsonPropertyName("vmId")] int? VmId,
    [property: JsonPropertyName("vmName")] string VmName,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("task")] string? Task,
    [property: JsonPropertyName("preSnapshotTask")] string? PreSnapshotTask,
    [property: JsonPropertyName("proposedName")] string? ProposedName,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("startedAt")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finishedAt")] DateTimeOffset? FinishedAt)
{
    public static OperationResultDto From(BulkTaskView t) =>
        new(t.VmId, t.VmName, t.Connection, t.Node, t.Action, t.Status, t.Success, t.Message, t.Error, t.Upid, t.PreSnapshotUpid, t.ProposedName,
            t.Attempts, t.StartedAt, t.FinishedAt);
}

public sealed record OperationSummaryDto(
    [property: JsonPropertyName("duration")] double? Duration,
    [property: JsonPropertyName("startTime")] DateTimeOffset? StartTime,
    [property: JsonPropertyName("endTime")] DateTimeOffset? EndTime);

public sealed record OperationListDto(
    [property: JsonPropertyName("items")] IReadOnlyList<OperationDto> Items,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("pageSize")] int PageSize);

/// <summary>Seed 000's job: jobId, status (queued, running, completed, aborted), progress, tasks[] (vmId, status success|pending|…).</summary>
public sealed record JobDto(
    [property: JsonPropertyName("jobId")] string JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] JobProgressDto Progress,
    [property: JsonPropertyName("tasks")] IReadOnlyList<JobTaskDto> Tasks);

public sealed record JobProgressDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("completed")] int Completed,
    [property: JsonPropertyName("failed")] int Failed);

public sealed record JobTaskDto(
    [property: JsonPropertyName("vmId")] string VmId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("task")] string? Task,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>Seed 000's bulk create answer.</summary>
public sealed record JobSubmittedDto(
    [property: JsonPropertyName("jobId")] string JobId,
    [property: JsonPropertyName("submitted")] int Submitted,
    [property: JsonPropertyName("status")] string Status);
