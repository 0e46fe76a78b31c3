using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>Loads database-stored connections once at start (after the persistence hosted services migrated the database).
/// A failure is logged: configured connections keep working.</summary>
internal sealed class ProxmoxConnectionsLoader(IProxmoxConnections connections, ILogger<ProxmoxConnectionsLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await connections.ReloadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not load stored Proxmox connections; only configured ones are used");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
