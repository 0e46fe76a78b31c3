using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Snapshots;
using Moxxie.Core.Vms;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>The guide's "Snapshot Management": list (PVE's entries, "current" included, with Moxxie's TTL), create (name,
/// description, includeVMState, ttlHours), delete and rollback, the last three answering the async shape
/// {task, message, estimatedDuration}. Errors come from <see cref="ApiErrorMapping"/> (VALIDATION_ERROR per field, 403, 404, PVE's message).</summary>
public static class SnapshotEndpoints
{
    public static RouteGroupBuilder MapSnapshotEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/vms/{vmid:int}/snapshots").WithTags("Snapshots");
        group.MapGet("/", ListAsync).WithSummary("The VM's snapshots as PVE lists them (\"current\" marks where the VM stands), with TTLs Moxxie set.");
        group.MapPost("/", CreateAsync).WithSummary("Create a snapshot (PVE's name rules; RAM only while running; TTL in hours, also appended to the description).");
        group.MapDelete("/{name}", DeleteAsync).WithSummary("Delete a snapshot.");
        group.MapPost("/{name}/rollback", RollbackAsync).WithSummary("Roll the VM back to a snapshot (state since then is lost); ?start=true starts it afterwards.");
        return api;
    }

    private static VmRef Ref(int vmid, string? connection) => new(vmid, string.IsNullOrWhiteSpace(connection) ? null : connection.Trim());

    private static async Task<Ok<List<SnapshotEntryDto>>> ListAsync(int vmid, string? connection, SnapshotService snapshots, CancellationToken ct)
    {
        var tree = await snapshots.GetTreeAsync(Ref(vmid, connection), ct);
        return TypedResults.Ok(tree.Entries
            .OrderBy(e => e.IsCurrent ? 0 : 1).ThenByDescending(e => e.Time ?? DateTimeOffset.MinValue).ThenBy(e => e.Name, StringComparer.Ordinal)
            .Select(e =>
            {
                var ttl = e.IsCurrent ? null : tree.Find(e.Name)?.Ttl;
                return new SnapshotEntryDto(e.Name, e.Time?.ToUnixTimeSeconds(), e.Description, e.IsCurrent ? null : e.Parent,
                    e.IsCurrent ? null : e.VmState, e.IsCurrent ? tree.Running : e.Running ?? false, ttl?.Hours, ttl?.ExpiresAt.ToUnixTimeSeconds());
            }).ToList());
    }

    private static async Task<Accepted<AsyncTaskResponse>> CreateAsync(int vmid, string? connection, CreateSnapshotRequest request, HttpContext http,
        SnapshotService snapshots)
    {
        var result = await snapshots.CreateAsync(ActorFactory.FromHttpContext(http), Ref(vmid, connection),
            new SnapshotCreate(request.Name?.Trim(), request.Description, request.IncludeVmState ?? false, request.TtlHours), http.RequestAborted);
        return TypedResults.Accepted((string?)null, new AsyncTaskResponse(result.Upid, result.Message, request.IncludeVmState == true ? 60 : 10));
    }

    private static async Task<Accepted<AsyncTaskResponse>> DeleteAsync(int vmid, string name, string? connection, HttpContext http, SnapshotService snapshots)
    {
        var result = await snapshots.DeleteAsync(ActorFactory.FromHttpContext(http), Ref(vmid, connection), name, http.RequestAborted);
        return TypedResults.Accepted((string?)null, new AsyncTaskResponse(result.Upid, result.Message, 10));
    }

    private static async Task<Accepted<AsyncTaskResponse>> RollbackAsync(int vmid, string name, string? connection, bool? start, HttpContext http,
        SnapshotService snapshots)
    {
        var result = await snapshots.RollbackAsync(ActorFactory.FromHttpContext(http), Ref(vmid, connection), name, start ?? false, http.RequestAborted);
        return TypedResults.Accepted((string?)null, new AsyncTaskResponse(result.Upid, result.Message, 30));
    }
}

public sealed record CreateSnapshotRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("includeVMState")] bool? IncludeVmState,
    [property: JsonPropertyName("ttlHours")] int? TtlHours);

/// <summary>The guide's async operation response.</summary>
public sealed record AsyncTaskResponse(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("estimatedDuration")] int EstimatedDuration);

public sealed record SnapshotEntryDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("snaptime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? SnapTime,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("parent")] string? Parent,
    [property: JsonPropertyName("vmstate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? VmState,
    [property: JsonPropertyName("running")] bool Running,
    [property: JsonPropertyName("ttlHours"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TtlHours,
    [property: JsonPropertyName("expiresAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ExpiresAt);
