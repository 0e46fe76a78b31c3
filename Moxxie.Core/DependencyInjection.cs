using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moxxie.Core.Clusters;
using Moxxie.Core.Inventory;
using Moxxie.Core.Tasks;
using Moxxie.Core.Vms;

namespace Moxxie.Core;

public static class DependencyInjection
{
    /// <summary>Registers Core services (InventoryHub, VmService, TaskService, ClusterService, ConnectionService, TimeProvider).
    /// The ports (IProxmoxConnections, ITaskTracker, IAuditLog, IMoxxieDbFactory, ISecretProtector) come from Infrastructure.</summary>
    public static IServiceCollection AddMoxxieCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InventoryHub>();
        services.TryAddScoped<VmService>();
        services.TryAddScoped<TaskService>();
        services.TryAddScoped<ClusterService>();
        services.TryAddScoped<ConnectionService>();
        return services;
    }
}
