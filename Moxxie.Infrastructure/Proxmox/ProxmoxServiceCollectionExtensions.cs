using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Moxxie.Infrastructure.Proxmox;

public static class ProxmoxServiceCollectionExtensions
{
    /// <summary>PVE client per connection, IProxmoxConnections, IProxmoxConnectionTester, inventory refresher, task tracker.
    /// Binds and validates Moxxie:Proxmox (bad configuration stops start-up naming the key).</summary>
    public static IServiceCollection AddMoxxieProxmox(this IServiceCollection services, IConfiguration configuration)
    {
        // TODO(H2)
        return services;
    }
}
