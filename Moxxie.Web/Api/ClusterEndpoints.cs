using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Clusters;

namespace Moxxie.Web.Api;

public static class ClusterEndpoints
{
    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cluster").WithTags("Cluster");
        group.MapGet("/status", GetStatus).WithSummary("Cluster name, quorum and nodes of one connection (default: the first).");
        group.MapGet("/resources", GetResources)
            .WithSummary("PVE's /cluster/resources from the inventory. type: vm (qemu and lxc) | node | storage; connection: one connection (default all).");
        return api;
    }

    private static Results<Ok<ClusterStatusResponse>, JsonHttpResult<ApiError>> GetStatus(string? connection, ClusterService clusters, TimeProvider time)
    {
        var overviews = clusters.Overviews();
        var overview = string.IsNullOrWhiteSpace(connection)
            ? overviews.FirstOrDefault()
            : overviews.FirstOrDefault(o => string.Equals(o.Connection, connection.Trim(), StringComparison.OrdinalIgnoreCase));
        if (overview is null)
            return ApiErrorMapping.Error(time, StatusCodes.Status404NotFound, ApiError.NotFound,
                string.IsNullOrWhiteSpace(connection) ? "No Proxmox connection is configured." : $"Unknown connection '{connection}'.");
        if (overview.ClusterName is null && overview.Nodes.Count == 0 && !overview.Reachable)
            return ApiErrorMapping.Error(time, StatusCodes.Status502BadGateway, ApiError.ProxmoxError,
                overview.Error ?? "The cluster has not been reached yet.", new { connection = overview.Connection });

        var nodes = overview.Nodes
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new ClusterNodeDto(n.Name, "node", n.Online, n.Level ?? "", "node/" + n.Name, n.Ip, n.Local))
            .ToList();
        return TypedResults.Ok(new ClusterStatusResponse(
            new ClusterSummaryDto(overview.ClusterName, overview.ConfigVersion, overview.NodesTotal, overview.Quorate), nodes));
    }

    private static readonly string[] ResourceTypes = ["vm", "node", "storage"];

    private static Ok<List<ResourceDto>> GetResources(string? type, string? connection, ClusterService clusters)
    {
        var kind = string.IsNullOrWhiteSpace(type) ? null : type.Trim().ToLowerInvariant();
        if (kind is not null && !ResourceTypes.Contains(kind))
            ApiQuery.ThrowIfAny(new Dictionary<string, string> { ["type"] = "Must be one of vm, node, storage." });

        var result = new List<ResourceDto>();
        foreach (var (name, r) in clusters.Resources(connection))
        {
            if (kind is null or "vm") result.AddRange(r.Guests.OrderBy(g => g.VmId).Select(g => ToDto(name, g)));
            if (kind is null or "node") result.AddRange(r.Nodes.OrderBy(n => n.Node, StringComparer.Ordinal).Select(n => ToDto(name, n)));
            if (kind is null or "storage")
                result.AddRange(r.Storage.OrderBy(s => s.Node, StringComparer.Ordinal).ThenBy(s => s.Storage, StringComparer.Ordinal).Select(s => ToDto(name, s)));
        }
        return TypedResults.Ok(result);
    }

    private static ResourceDto ToDto(string connection, Core.Proxmox.GuestResource g)
    {
        var type = g.Type == Core.Proxmox.GuestType.Lxc ? "lxc" : "qemu";
        return new ResourceDto
        {
            Id = $"{type}/{g.VmId}", Type = type, Node = g.Node, Status = g.Status, Name = g.Name, VmId = g.VmId,
            Cpu = g.Cpu, MaxCpu = g.MaxCpu, Mem = g.Mem, MaxMem = g.MaxMem, Disk = g.Disk, MaxDisk = g.MaxDisk, Uptime = g.Uptime,
            Template = g.Template, Tags = g.Tags, Connection = connection,
        };
    }

    private static ResourceDto ToDto(string connection, Core.Proxmox.NodeResource n) => new()
    {
        Id = "node/" + n.Node, Type = "node", Node = n.Node, Status = n.Status, Cpu = n.Cpu, MaxCpu = n.MaxCpu, Mem = n.Mem, MaxMem = n.MaxMem,
        Disk = n.Disk, MaxDisk = n.MaxDisk, Uptime = n.Uptime, Level = n.Level ?? "", Connection = connection,
    };

    private static ResourceDto ToDto(string connection, Core.Proxmox.StorageResource s) => new()
    {
        Id = $"storage/{s.Node}/{s.Storage}", Type = "storage", Node = s.Node, Status = s.Status, Storage = s.Storage,
        Disk = s.Disk, MaxDisk = s.MaxDisk, Content = string.Join(',', s.Content), Shared = s.Shared, PluginType = s.PluginType, Connection = connection,
    };
}
