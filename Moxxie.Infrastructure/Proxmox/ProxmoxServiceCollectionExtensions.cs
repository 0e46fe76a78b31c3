using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Inventory;

namespace Moxxie.Infrastructure.Proxmox;

public static class ProxmoxServiceCollectionExtensions
{
    /// <summary>PVE client per connection, IProxmoxConnections, IProxmoxConnectionTester, inventory refresher, task tracker.
    /// Binds and validates Moxxie:Proxmox (bad configuration stops start-up naming the key) and Moxxie:Inventory.</summary>
    public static IServiceCollection AddMoxxieProxmox(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InventoryHub>();

        services.AddOptions<ProxmoxOptions>().Bind(configuration.GetSection(ProxmoxOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProxmoxOptions>, ProxmoxOptionsValidator>());
        services.AddOptions<InventoryOptions>().Bind(configuration.GetSection(InventoryOptions.Section))
            .Validate(o => o.PollInterval > TimeSpan.Zero, $"{InventoryOptions.Section}:PollInterval must be positive (e.g. 00:00:02)")
            .Validate(o => o.TaskPollInterval > TimeSpan.Zero, $"{InventoryOptions.Section}:TaskPollInterval must be positive (e.g. 00:00:00.5)")
            .ValidateOnStart();

        services.TryAddSingleton<ProxmoxClientFactory>();
        services.TryAddSingleton<ProxmoxConnectionRegistry>();
        services.TryAddSingleton<IProxmoxConnections>(sp => sp.GetRequiredService<ProxmoxConnectionRegistry>());
        services.TryAddSingleton<IProxmoxConnectionTester, ProxmoxConnectionTester>();
        services.AddHostedService<ProxmoxConnectionsLoader>();

        services.TryAddSingleton<InventoryRefresher>();
        services.TryAddSingleton<IInventoryRefreshSignal>(sp => sp.GetRequiredService<InventoryRefresher>());
        services.AddHostedService(sp => sp.GetRequiredService<InventoryRefresher>());
        services.TryAddSingleton<ITaskTracker, TaskTracker>();
        return services;
    }
}
