using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Deployments;
using Moxxie.Core.Lifecycle;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>VM lifecycle: create from a template (POST /vms) and clone a VM or one of its snapshots (POST /vms/{id}/clone),
/// both answering 202 with seed 002's deployment (status REQUESTED → PROVISIONING → ACTIVE | ERROR, event log at
/// GET /deployments/{id}); edit options (PUT /vms/{id}/config) and remove (DELETE /vms/{id}, purge and unreferenced disks),
/// both answering the async shape {task, message, estimatedDuration}. Errors come from <see cref="ApiErrorMapping"/>.</summary>
public static class LifecycleEndpoints
{
    public static RouteGroupBuilder MapLifecycleEndpoints(this RouteGroupBuilder api)
    {
        var vms = api.MapGroup("/vms").WithTags("VM lifecycle");
        vms.MapPost("/", CreateAsync).WithSummary("Create a VM from a template (one object; clone, configure, optionally start in the background). " +
            "202 with the deployment; follow it at /api/v1/deployments/{id}.");
        vms.MapPost("/{vmid:int}/clone", CloneAsync).WithSummary("Clone a VM (or, with snapname, one of its snapshots); 202 with the deployment.");
        vms.MapPut("/{vmid:int}/config", UpdateConfigAsync).WithSummary("Change cores, memory, balloon, onboot, agent, description, protection; " +
            "what needs a restart stays pending at PVE.");
        vms.MapDelete("/{vmid:int}", RemoveAsync).WithSummary("Remove the VM (purge, destroy unreferenced disks). PVE refuses protected or running VMs. " +
            "confirm=<name>, when given, must be the VM's name.");

        var deployments = api.MapGroup("/deployments").WithTags("VM lifecycle");
        deployments.MapGet("/", ListAsync).WithSummary("Deployments, newest first (page, pageSize).");
        deployments.MapGet("/{id}", GetAsync).WithSummary("One deployment with its event log.");
        deployments.MapGet("/{id}/events", EventsAsync).WithSummary("A deployment's event log, oldest first.");
        return api;
    }

    private static VmRef Ref(int vmid, string? connection) => new(vmid, string.IsNullOrWhiteSpace(connection) ? null : connection.Trim());

    private static async Task<IResult> CreateAsync(JsonElement body, string? connection, HttpContext http, VmProvisioningService provisioning,
        Moxxie.Core.Bulk.IBulkOperationService bulk)
    {
        if (body.ValueKind == JsonValueKind.Array || body.ValueKind == JsonValueKind.Object && body.TryGetProperty("vms", out var list) && list.ValueKind == JsonValueKind.Array)
            return await BulkCreateAsync(body, connection, http, bulk);
        var errors = new Dictionary<string, string>();
        DeploymentRequest? request = null;
        if (JsonBody.Object(body, errors) is { } b)
        {
            request = Read(b, b.Int("templateId") ?? 0, connection, requireTemplate: true);
            if (!b.Has("templateId")) errors.TryAdd("templateId", "The template to clone (its VMID) is required.");
        }
        ThrowIfAny(errors);
        return await StartAsync(provisioning, request!, http);
    }

    /// <summary>Seed 000: an array of {name, templateId, nodeId, cpu, memory, storage, start} (or {"vms": [...]}) becomes one
    /// bulk create operation; 202 {jobId, submitted, status:"queued"}, followed at GET /jobs/{jobId}.</summary>
    private static async Task<IResult> BulkCreateAsync(JsonElement body, string? connection, HttpContext http, Moxxie.Core.Bulk.IBulkOperationService bulk)
    {
        var errors = new Dictionary<string, string>();
        var array = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("vms");
        var specs = new List<Moxxie.Core.Bulk.BulkCreateSpec>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemErrors = new Dictionary<string, string>();
            if (JsonBody.Object(item, itemErrors) is { } b)
            {
                var template = b.Has("templateId") ? item.GetProperty("templateId").ToString() : "";
                specs.Add(new Moxxie.Core.Bulk.BulkCreateSpec(b.String("name") ?? "", template, b.String("nodeId") ?? b.String("node"), b.Int("cpu") ?? b.Int("cores"),
                    b.Int("memory") ?? b.Int("memoryMb"), b.String("storage"), b.Bool("start") ?? false, b.String("connection") ?? connection));
            }
            foreach (var (k, v) in itemErrors) errors.TryAdd($"vms[{i}].{k}", v);
            i++;
        }
        ThrowIfAny(errors);
        var r = await bulk.SubmitAsync(ActorFactory.FromHttpContext(http), new Moxxie.Core.Bulk.BulkRequest
        {
            Kind = Moxxie.Core.Bulk.BulkKinds.Create, Create = specs, Source = "api: POST /vms",
        }, http.RequestAborted);
        return TypedResults.Accepted($"/api/v1/jobs/{r.OperationId}", new JobSubmittedDto(r.OperationId, r.Queued, r.Status));
    }

    private static async Task<Accepted<DeploymentDto>> CloneAsync(int vmid, JsonElement body, string? connection, HttpContext http, VmProvisioningService provisioning)
    {
        var errors = new Dictionary<string, string>();
        var request = JsonBody.Object(body, errors) is { } b ? Read(b, vmid, connection, requireTemplate: false) : null;
        ThrowIfAny(errors);
        return await StartAsync(provisioning, request!, http);
    }

    private static DeploymentRequest Read(JsonBody b, int source, string? connection, bool requireTemplate)
    {
        var cloudInit = b.Child("cloudInit");
        return new DeploymentRequest(source, b.String("name"))
        {
            Connection = b.String("connection") ?? (string.IsNullOrWhiteSpace(connection) ? null : connection.Trim()),
            RequireTemplate = requireTemplate,
            Snapshot = b.String("snapname"),
            Full = b.Bool("full") ?? true,
            Node = b.String("node") ?? b.String("target"),
            Storage = b.String("storage"),
            VmId = b.Int("newid") ?? b.Int("vmid"),
            Cores = b.Int("cores"),
            MemoryMb = b.Int("memory"),
            Start = b.Bool("start") ?? false,
            CiUser = cloudInit?.String("user"),
            SshKeys = cloudInit?.Strings("sshKeys") is { } keys ? string.Join('\n', keys) : null,
            IpConfig0 = cloudInit?.String("ipConfig"),
        };
    }

    private static async Task<Accepted<DeploymentDto>> StartAsync(VmProvisioningService provisioning, DeploymentRequest request, HttpContext http)
    {
        var view = await provisioning.RequestAsync(ActorFactory.FromHttpContext(http), request, http.RequestAborted);
        return TypedResults.Accepted($"/api/v1/deployments/{view.Id}", DeploymentDto.From(view));
    }

    private static void ThrowIfAny(Dictionary<string, string> errors)
    {
        if (errors.Count > 0) throw new ValidationException("Invalid request: " + string.Join(" ", errors.Values), errors);
    }

    private static async Task<Results<Accepted<AsyncTaskResponse>, Ok<MessageResponse>>> UpdateConfigAsync(int vmid, JsonElement body, string? connection,
        HttpContext http, VmLifecycleService lifecycle)
    {
        var errors = new Dictionary<string, string>();
        VmConfigEdit? edit = null;
        if (JsonBody.Object(body, errors) is { } b)
        {
            edit = new VmConfigEdit
            {
                Cores = b.Int("cores"), MemoryMb = b.Int("memory"), BalloonMb = b.Int("balloon"), OnBoot = b.Bool("onboot"), Agent = b.Bool("agent"),
                Description = b.String("description"), Protection = b.Bool("protection"), Digest = b.String("digest"),
            };
        }
        ThrowIfAny(errors);
        var result = await lifecycle.UpdateConfigAsync(ActorFactory.FromHttpContext(http), Ref(vmid, connection), edit!, http.RequestAborted);
        return result.Upid is { } upid
            ? TypedResults.Accepted((string?)null, new AsyncTaskResponse(upid, result.Message, 5))
            : TypedResults.Ok(new MessageResponse(result.Message));
    }

    private static async Task<Accepted<AsyncTaskResponse>> RemoveAsync(int vmid, string? connection, string? confirm, HttpContext http, VmLifecycleService lifecycle)
    {
        var result = await lifecycle.RemoveAsync(ActorFactory.FromHttpContext(http), Ref(vmid, connection), confirm, http.RequestAborted);
        return TypedResults.Accepted((string?)null, new AsyncTaskResponse(result.Upid!, result.Message, 15));
    }

    private static async Task<Ok<PagedResponse<DeploymentDto>>> ListAsync(string? page, string? pageSize, VmProvisioningService provisioning, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var p = ApiQuery.Page(page, errors) ?? 1;
        var size = ApiQuery.Limit(pageSize, 20, errors, 200) ?? 20;
        ApiQuery.ThrowIfAny(errors);
        var (items, total) = await provisioning.ListAsync(p, size, ct);
        return TypedResults.Ok(new PagedResponse<DeploymentDto>([.. items.Select(d => DeploymentDto.From(d) with { Events = null })],
            new PaginationDto(total, p, size, p * size < total, p > 1), new FiltersDto([])));
    }

    private static async Task<Ok<DeploymentDto>> GetAsync(string id, VmProvisioningService provisioning, CancellationToken ct) =>
        TypedResults.Ok(DeploymentDto.From(await provisioning.GetAsync(id, ct) ?? throw new KeyNotFoundException($"Deployment {id} not found.")));

    private static async Task<Ok<List<DeploymentEventDto>>> EventsAsync(string id, VmProvisioningService provisioning, CancellationToken ct) =>
        TypedResults.Ok((await provisioning.GetAsync(id, ct) ?? throw new KeyNotFoundException($"Deployment {id} not found.")).Events.Select(DeploymentEventDto.From).ToList());
}

public sealed record MessageResponse([property: JsonPropertyName("message")] string Message);

/// <summary>Seed 002's deployment: id, name, spec, status, runtime, lastError {code, message}, createdAt, updatedAt — plus
/// deploymentId (what POST answers), the connection, the last PVE task and the event log.</summary>
public sealed record DeploymentDto(
    [property: JsonPropertyName("deploymentId")] string DeploymentId,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("spec")] DeploymentSpecDto Spec,
    [property: JsonPropertyName("runtime")] DeploymentRuntimeDto Runtime,
    [property: JsonPropertyName("task")] string? Task,
    [property: JsonPropertyName("lastError")] DeploymentErrorDto? LastError,
    [property: JsonPropertyName("requestedBy")] string RequestedBy,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("events"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<DeploymentEventDto>? Events)
{
    public static DeploymentDto From(DeploymentView d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new DeploymentDto(d.Id, d.Id, d.Name, d.Status, d.Connection,
            new DeploymentSpecDto(d.SourceVmId, d.SourceIsTemplate, d.SourceSnapshot, d.FullClone, d.TargetNode, d.NodeElected, d.Storage, d.Cores, d.MemoryMb,
                new DeploymentCloudInitDto(d.CiUser, d.SshKeyCount, d.IpConfig0), d.StartAfter),
            new DeploymentRuntimeDto(d.VmId, d.TargetNode, d.CiUser),
            d.Upid,
            d.LastError is { } e ? new DeploymentErrorDto(ApiError.ProxmoxError, e) : null,
            d.RequestedBy, d.CreatedAt, d.UpdatedAt,
            [.. d.Events.Select(DeploymentEventDto.From)]);
    }
}

public sealed record DeploymentSpecDto(
    [property: JsonPropertyName("source")] int Source,
    [property: JsonPropertyName("template")] bool Template,
    [property: JsonPropertyName("snapname")] string? SnapName,
    [property: JsonPropertyName("full")] bool Full,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("nodeElected")] bool NodeElected,
    [property: JsonPropertyName("storage")] string? Storage,
    [property: JsonPropertyName("cores")] int? Cores,
    [property: JsonPropertyName("memory")] int? Memory,
    [property: JsonPropertyName("cloudInit")] DeploymentCloudInitDto CloudInit,
    [property: JsonPropertyName("start")] bool Start);

public sealed record DeploymentCloudInitDto(
    [property: JsonPropertyName("user")] string? User,
    [property: JsonPropertyName("sshKeys")] int SshKeys,
    [property: JsonPropertyName("ipConfig")] string? IpConfig);

public sealed record DeploymentRuntimeDto(
    [property: JsonPropertyName("vmid")] int? VmId,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("sshUser")] string? SshUser);

public sealed record DeploymentErrorDto(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

public sealed record DeploymentEventDto(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("ts")] DateTimeOffset Ts,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("upid")] string? Upid)
{
    public static DeploymentEventDto From(DeploymentEventView e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new DeploymentEventDto(e.Id, e.Time, e.Level, e.Message, e.Upid);
    }
}
