using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Security;
using Moxxie.Core.Storage;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>/api/v1/storage: the guide's storage list (configuration joined with live usage), one storage, its content as a
/// node sees it, and enable/disable (Admin, audited).</summary>
public static class StorageEndpoints
{
    public static RouteGroupBuilder MapStorageEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/storage").WithTags("Storage");
        group.MapGet("/", ListAsync).WithSummary("Every storage with type, content, usage and nodes. enabled: true|false; connection: one connection (default all).");
        group.MapGet("/{storage}", GetAsync).WithSummary("One storage; 404 for an unknown storage.");
        group.MapGet("/{storage}/content", ContentAsync)
            .WithSummary("Volumes on the storage as one node sees it (node: default the first node where it is active); content: iso | vztmpl | backup | images | rootdir.");
        group.MapPost("/{storage}/{action:regex(^(enable|disable)$)}", SetEnabledAsync)
            .RequireAuthorization(MoxxieRoles.AdminPolicy)
            .WithSummary("Enable or disable a storage in the datacenter configuration. Admins only; audited.");
        return api;
    }

    private static async Task<Ok<List<StorageDto>>> ListAsync(string? enabled, string? connection, StorageService storage, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var filter = Bool(enabled, "enabled", errors);
        ApiQuery.ThrowIfAny(errors);
        var list = await storage.ListAsync(filter, connection, ct);
        return TypedResults.Ok(list.Items.Select(ToDto).ToList());
    }

    private static async Task<Results<Ok<StorageDto>, JsonHttpResult<ApiError>>> GetAsync(string storage, string? connection, StorageService service,
        TimeProvider time, CancellationToken ct) =>
        await service.FindAsync(connection, storage, ct) is { } s ? TypedResults.Ok(ToDto(s)) : NotFound(storage, connection, time);

    private static async Task<Results<Ok<List<StorageContentDto>>, JsonHttpResult<ApiError>>> ContentAsync(string storage, string? node, string? content,
        string? connection, StorageService service, TimeProvider time, CancellationToken ct)
    {
        if (await service.FindAsync(connection, storage, ct) is not { } target) return NotFound(storage, connection, time);
        var errors = new Dictionary<string, string>();
        var kind = string.IsNullOrWhiteSpace(content) ? null : content.Trim();
        string[] kinds = [StorageContentKinds.Iso, StorageContentKinds.Template, StorageContentKinds.Backup, StorageContentKinds.Images, StorageContentKinds.RootDir,
            "snippets", "import"];
        if (kind is not null && !kinds.Contains(kind, StringComparer.Ordinal))
            errors["content"] = $"Must be one of {string.Join(", ", kinds)}.";
        var on = string.IsNullOrWhiteSpace(node) ? target.DefaultNode : node.Trim();
        if (on is null)
            errors["node"] = $"Storage '{storage}' is on no node.";
        else if (!target.Nodes.Contains(on, StringComparer.Ordinal))
            errors["node"] = $"Node '{on}' has no access to storage '{storage}' (nodes: {string.Join(", ", target.Nodes)}).";
        ApiQuery.ThrowIfAny(errors);
        var items = await service.ContentAsync(target.Connection, target.Storage, on!, ct);
        return TypedResults.Ok(items
            .Where(i => kind is null || i.Content == kind)
            .Select(i => new StorageContentDto(i.VolId, i.Content, i.Created?.ToUnixTimeSeconds(), i.Format, i.Size, i.Notes, i.Protected, i.VmId,
                i.VerificationState is { } v ? new VerificationDto(v) : null, on!))
            .ToList());
    }

    private static async Task<Results<Ok<DataMessageResponse<StorageDto>>, JsonHttpResult<ApiError>>> SetEnabledAsync(string storage, string action,
        string? connection, HttpContext http, StorageService service, TimeProvider time)
    {
        if (await service.FindAsync(connection, storage, http.RequestAborted) is not { } target) return NotFound(storage, connection, time);
        var result = await service.SetEnabledAsync(ActorFactory.FromHttpContext(http), target.Connection, target.Storage, action == "enable",
            http.RequestAborted);
        if (!result.Success)
            return ApiErrorMapping.Error(time, StatusCodes.Status502BadGateway, ApiError.ProxmoxError, result.Message,
                new { connection = target.Connection, storage = target.Storage });
        var now = await service.FindAsync(target.Connection, target.Storage, http.RequestAborted) ?? target;
        return TypedResults.Ok(new DataMessageResponse<StorageDto>(ToDto(now), result.Message));
    }

    /// <summary>true/false/1/0 (any case); anything else is a per-field validation error.</summary>
    public static bool? Bool(string? text, string field, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1": return true;
            case "false" or "0": return false;
            default:
                errors[field] = "Must be true or false.";
                return null;
        }
    }

    private static JsonHttpResult<ApiError> NotFound(string storage, string? connection, TimeProvider time) =>
        ApiErrorMapping.Error(time, StatusCodes.Status404NotFound, ApiError.NotFound,
            string.IsNullOrWhiteSpace(connection) ? $"Storage {storage} not found." : $"Storage {storage} not found on connection '{connection.Trim()}'.");

    public static StorageDto ToDto(StorageOverview s)
    {
        string? Prop(string key) => s.Config?.Properties.GetValueOrDefault(key) is { Length: > 0 } v ? v : null;
        return new StorageDto
        {
            Storage = s.Storage, Type = s.Type, Content = s.Content, Active = s.Active, Enabled = s.Enabled, Shared = s.Shared,
            Total = s.Total, Used = s.Used, Available = s.Available, UsedFraction = Math.Round(s.UsedFraction, 4), Nodes = s.Nodes,
            Path = s.Config?.Path ?? Prop("path"), Pool = Prop("pool"), Server = s.Config?.Server ?? Prop("server"), Export = Prop("export"),
            VgName = Prop("vgname"), ThinPool = Prop("thinpool"), Connection = s.Connection,
        };
    }
}
