using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Web.Hosting;

/// <summary>/healthz: the database (Unhealthy → 503) and every PVE connection as the inventory last saw it
/// (unreachable or not polled yet → Degraded, still 200: Moxxie itself works).</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddMoxxieHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<MoxxieDbContext>("database")
            .AddCheck<ProxmoxHealthCheck>("proxmox");
        return services;
    }

    public static IEndpointRouteBuilder MapMoxxieHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
        }).AllowAnonymous();
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var checks = new List<object>();
        foreach (var (name, entry) in report.Entries)
        {
            if (name == "proxmox")
            {
                foreach (var (connection, value) in entry.Data)
                    checks.Add(value is ConnectionHealth h
                        ? new { name = "proxmox:" + connection, status = h.Status.ToString(), description = (string?)h.Description }
                        : new { name = "proxmox:" + connection, status = entry.Status.ToString(), description = (string?)null });
                if (entry.Data.Count == 0)
                    checks.Add(new { name, status = entry.Status.ToString(), description = entry.Description });
            }
            else
            {
                checks.Add(new { name, status = entry.Status.ToString(), description = entry.Description ?? entry.Exception?.Message });
            }
        }
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            duration = report.TotalDuration.TotalMilliseconds,
            checks,
        }), context.RequestAborted);
    }

    public sealed record ConnectionHealth(HealthStatus Status, string Description);

    public sealed class ProxmoxHealthCheck(IProxmoxConnections connections, InventoryHub hub) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var data = new Dictionary<string, object>();
            foreach (var connection in connections.All)
            {
                var snapshot = hub.Get(connection.Name);
                data[connection.Name] = snapshot switch
                {
                    null => new ConnectionHealth(HealthStatus.Degraded, "Not polled yet."),
                    { Error: { } error } => new ConnectionHealth(HealthStatus.Degraded, "Unreachable: " + error),
                    _ => new ConnectionHealth(HealthStatus.Healthy, $"Last poll {snapshot.At:O}."),
                };
            }
            var degraded = data.Values.OfType<ConnectionHealth>().Count(h => h.Status != HealthStatus.Healthy);
            var result = data.Count == 0
                ? HealthCheckResult.Degraded("No Proxmox connection is configured.")
                : degraded > 0
                    ? HealthCheckResult.Degraded($"{degraded} of {data.Count} Proxmox connections are unreachable.", data: data)
                    : HealthCheckResult.Healthy($"{data.Count} Proxmox connection(s) reachable.", data);
            return Task.FromResult(result);
        }
    }
}
