using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Backups;
using Moxxie.Core.Restore;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>The guide's restore wizard over HTTP: GET the plan of a backup (config at backup time, disks, NICs, target nodes
/// with their storages and bridges, next free VMID) and POST the restore, answering the async shape
/// {task, message, estimatedDuration}. Errors from <see cref="ApiErrorMapping"/> (VALIDATION_ERROR per field, 403, PVE's message).</summary>
public static class RestoreEndpoints
{
    public static RouteGroupBuilder MapRestoreEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/backups/restore").WithTags("Backups");
        group.MapGet("/plan", PlanAsync).WithSummary("What a backup holds (config, disks, NICs) and where it can be restored (nodes, storages, bridges, next free VMID).");
        group.MapPost("/", RestoreAsync).WithSummary("Restore a QEMU backup to the next free VMID, a given one, or over an existing VM (overwrite + confirm with its name or VMID).");
        return api;
    }

    private static async Task<Ok<RestorePlanDto>> PlanAsync(string? volid, string? connection, string? node, RestoreService restore, CancellationToken ct)
    {
        var plan = await restore.PlanAsync(BackupRef.FromVolId(volid ?? "", connection, node), ct);
        return TypedResults.Ok(new RestorePlanDto(
            plan.Connection, plan.Archive.VolId, plan.SourceNode, plan.BackupVmId, plan.Name, plan.Archive.Time?.ToUnixTimeSeconds(), plan.NextFreeVmId,
            plan.ExistingVm is { } vm ? new RestoreExistingDto(vm.VmId, vm.Name, vm.Node, vm.Status) : null,
            plan.Config.Cores, plan.Config.MemoryMb,
            [.. plan.Disks.Select(d => new RestoreDiskDto(d.Key, d.Storage, d.SizeBytes))],
            [.. plan.Nics.Select(n => new RestoreNicDto(n.Key, n.Model, n.MacAddress, n.Bridge, n.VlanTag))],
            [.. plan.Nodes.Select(n => new RestoreNodeDto(n.Node, [.. n.Storages.Select(s => s.Storage)], n.Bridges, n.Error))]));
    }

    private static async Task<Accepted<AsyncTaskResponse>> RestoreAsync(RestoreBody body, HttpContext http, RestoreService restore)
    {
        var result = await restore.RestoreAsync(ActorFactory.FromHttpContext(http), new RestoreRequest(body.VolId?.Trim())
        {
            Connection = body.Connection, SourceNode = body.SourceNode, VmId = body.VmId, Overwrite = body.Overwrite ?? false, Confirm = body.Confirm,
            Node = body.Node, Storage = body.Storage, Bridges = body.Bridges, UniqueMacs = body.UniqueMacs ?? false, Start = body.Start ?? false, Name = body.Name,
        }, http.RequestAborted);
        return TypedResults.Accepted((string?)null, new AsyncTaskResponse(result.Upid, result.Message, result.EstimatedSeconds));
    }
}

/// <summary>POST /api/v1/backups/restore. vmId null = next free VMID; storage null = each disk on its backed-up storage;
/// bridges: NIC key → bridge on the target node.</summary>
public sealed record RestoreBody(
    [property: JsonPropertyName("volid")] string? VolId,
    [property: JsonPropertyName("connection")] string? Connection,
    [property: JsonPropertyName("sourceNode")] string? SourceNode,
    [property: JsonPropertyName("vmId")] int? VmId,
    [property: JsonPropertyName("overwrite")] bool? Overwrite,
    [property: JsonPropertyName("confirm")] string? Confirm,
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("storage")] string? Storage,
    [property: JsonPropertyName("bridges")] Dictionary<string, string>? Bridges,
    [property: JsonPropertyName("uniqueMacs")] bool? UniqueMacs,
    [property: JsonPropertyName("start")] bool? Start,
    [property: JsonPropertyName("name")] string? Name);

public sealed record RestorePlanDto(
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("volid")] string VolId,
    [property: JsonPropertyName("sourceNode")] string SourceNode,
    [property: JsonPropertyName("vmid")] int? VmId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("ctime")] long? CTime,
    [property: JsonPropertyName("nextId")] int NextId,
    [property: JsonPropertyName("existing")] RestoreExistingDto? Existing,
    [property: JsonPropertyName("cores")] int? Cores,
    [property: JsonPropertyName("memory")] long? Memory,
    [property: JsonPropertyName("disks")] List<RestoreDiskDto> Disks,
    [property: JsonPropertyName("nics")] List<RestoreNicDto> Nics,
    [property: JsonPropertyName("nodes")] List<RestoreNodeDto> Nodes);

public sealed record RestoreExistingDto(
    [property: JsonPropertyName("vmid")] int VmId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("status")] string Status);

public sealed record RestoreDiskDto(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("storage")] string? Storage,
    [property: JsonPropertyName("size")] long? Size);

public sealed record RestoreNicDto(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("macaddr")] string? MacAddress,
    [property: JsonPropertyName("bridge")] string? Bridge,
    [property: JsonPropertyName("tag")] int? Tag);

public sealed record RestoreNodeDto(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("storages")] List<string> Storages,
    [property: JsonPropertyName("bridges")] IReadOnlyList<string> Bridges,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);
