using Microsoft.Extensions.DependencyInjection;

namespace Moxxie.Core;

public static class DependencyInjection
{
    /// <summary>Registers Core services (InventoryHub, VmService, TaskService, ClusterService, TimeProvider).</summary>
    public static IServiceCollection AddMoxxieCore(this IServiceCollection services)
    {
        // TODO(H2): register Core services here.
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
