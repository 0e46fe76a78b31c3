using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Inventory;
using Moxxie.Core.Nodes;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>/api/v1/nodes: node cards, a node's status (the guide's "Get Node Status"), its services and service actions.</summary>
public static class NodeEndpoints
{
    public static RouteGroupBuilder MapNodeEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/nodes").WithTags("Nodes");
        group.MapGet("/", List).WithSummary("Every node of every connection with its usage (from the inventory).");
        group.MapGet("/{node}", GetAsync).WithSummary("A node's status: usage, versions, CPU, root fs, swap, load average; 404 for an unknown node.");
        group.MapGet("/{node}/services", ServicesAsync).WithSummary("The node's services with their state.");
        group.MapPost("/{node}/services/{service}/{action:regex(^(start|stop|restart|reload)$)}", ServiceActionAsync)
            .RequireAuthorization(MoxxieRoles.CanOperatePolicy)
            .WithSummary("Start, stop, restart or reload a node service; 202 with the PVE task UPID. Operators and Admins only.");
        return api;
    }

    private static Ok<List<NodeDto>> List(NodeManagementService nodes) =>
        TypedResults.Ok(nodes.List().Select(n => ToDto(n, null)).ToList());

    private static async Task<Results<Ok<NodeDto>, JsonHttpResult<ApiError>>> GetAsync(string node, string? connection, NodeManagementService nodes,
        TimeProvider time, CancellationToken ct)
    {
        if (nodes.Find(node, connection) is not { } card) return NotFound(node, connection, time);
        // An offline node cannot answer: its card is all there is.
        return TypedResults.Ok(ToDto(card, card.Online ? await nodes.GetStatusAsync(card, ct) : null));
    }

    private static async Task<Results<Ok<List<NodeServiceDto>>, JsonHttpResult<ApiError>>> ServicesAsync(string node, string? connection,
        NodeManagementService nodes, TimeProvider time, CancellationToken ct)
    {
        if (nodes.Find(node, connection) is not { } card) return NotFound(node, connection, time);
        var services = await nodes.GetServicesAsync(card, ct);
        return TypedResults.Ok(services.Select(s => new NodeServiceDto(s.Name, s.Description, s.State, s.ActiveState, s.UnitState)).ToList());
    }

    private static async Task<Results<Accepted<TaskAcceptedResponse>, JsonHttpResult<ApiError>>> ServiceActionAsync(string node, string service,
        string action, string? connection, HttpContext http, NodeManagementService nodes, TimeProvider time)
    {
        if (nodes.Find(node, connection) is not { } card) return NotFound(node, connection, time);
        var result = await nodes.ServiceActionAsync(ActorFactory.FromHttpContext(http), card, service, Enum.Parse<ServiceAction>(action, ignoreCase: true),
            http.RequestAborted);
        if (result.Success && result.Upid is { } upid) return TypedResults.Accepted((string?)null, new TaskAcceptedResponse(upid, result.Message));
        return result.Failure == NodeActionFailure.Refused
            ? ApiErrorMapping.Error(time, StatusCodes.Status409Conflict, ApiError.Conflict, result.Message, new { connection = card.Connection, node = card.Name })
            : ApiErrorMapping.Error(time, StatusCodes.Status502BadGateway, ApiError.ProxmoxError, result.Message,
                new { connection = card.Connection, node = card.Name, proxmoxStatus = result.ProxmoxStatus });
    }

    private static JsonHttpResult<ApiError> NotFound(string node, string? connection, TimeProvider time) =>
        ApiErrorMapping.Error(time, StatusCodes.Status404NotFound, ApiError.NotFound,
            string.IsNullOrWhiteSpace(connection) ? $"Node {node} not found." : $"Node {node} not found on connection '{connection.Trim()}'.");

    public static NodeDto ToDto(NodeCard n, NodeStatusDetail? s) => new(
        n.Name,
        n.Online ? "online" : "offline",
        s?.Cpu ?? n.Cpu,
        n.MaxCpu,
        s?.Memory.Used ?? n.Mem,
        s is { Memory.Total: > 0 } ? s.Memory.Total : n.MaxMem,
        s?.RootFs.Used ?? n.Disk,
        s is { RootFs.Total: > 0 } ? s.RootFs.Total : n.MaxDisk,
        s?.Uptime ?? n.Uptime,
        s?.PveVersion,
        s?.KernelVersion,
        s?.LoadAverage,
        s is null ? null : new NodeCpuInfoDto(s.CpuInfo.Model, s.CpuInfo.Sockets, s.CpuInfo.Cores, s.CpuInfo.Cpus, s.CpuInfo.Mhz),
        s is null ? null : new NodeMemoryDto(s.RootFs.Total, s.RootFs.Used, s.RootFs.Free),
        s is null ? null : new NodeMemoryDto(s.Swap.Total, s.Swap.Used, s.Swap.Free),
        s is null ? null : new NodeMemoryDto(s.Memory.Total, s.Memory.Used, s.Memory.Free),
        n.Ip,
        n.Connection);
}

/// <summary>The guide's node status. Detail fields are null for an offline node (and in the list).</summary>
public sealed record NodeDto(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("cpu")] double Cpu,
    [property: JsonPropertyName("maxcpu")] int MaxCpu,
    [property: JsonPropertyName("mem")] long Mem,
    [property: JsonPropertyName("maxmem")] long MaxMem,
    [property: JsonPropertyName("disk")] long Disk,
    [property: JsonPropertyName("maxdisk")] long MaxDisk,
    [property: JsonPropertyName("uptime")] long Uptime,
    [property: JsonPropertyName("pveversion")] string? PveVersion,
    [property: JsonPropertyName("kversion")] string? KVersion,
    [property: JsonPropertyName("loadavg")] IReadOnlyList<double>? LoadAvg,
    [property: JsonPropertyName("cpuinfo")] NodeCpuInfoDto? CpuInfo,
    [property: JsonPropertyName("rootfs")] NodeMemoryDto? RootFs,
    [property: JsonPropertyName("swap")] NodeMemoryDto? Swap,
    [property: JsonPropertyName("memory")] NodeMemoryDto? Memory,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("connection")] string Connection);

public sealed record NodeCpuInfoDto(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("sockets")] int? Sockets,
    [property: JsonPropertyName("cores")] int? Cores,
    [property: JsonPropertyName("threads")] int? Threads,
    [property: JsonPropertyName("mhz")] double? Mhz);

public sealed record NodeMemoryDto(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("used")] long Used,
    [property: JsonPropertyName("free")] long Free);

/// <summary>The guide's service entry {name, desc, state} plus systemd's active/unit state.</summary>
public sealed record NodeServiceDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("desc")] string? Desc,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("activeState")] string? ActiveState,
    [property: JsonPropertyName("unitState")] string? UnitState);
