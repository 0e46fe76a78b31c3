using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Clusters;

namespace Moxxie.Web.Api;

public static class ClusterEndpoints
{
    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/cluster").WithTags("Cluster");
        group.MapGet("/status", GetStatus).WithSummary("Cluster name, quorum and nodes of one connection (default: the first).");
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
}
