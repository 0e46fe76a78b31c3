using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moxxie.Core.Deployments;

namespace Moxxie.Infrastructure.Deployments;

/// <summary>Runs queued deployments in the background, each in its own DI scope and concurrently with the others; on
/// shutdown the running ones are cancelled (and recorded as interrupted by <see cref="VmProvisioningService"/>).</summary>
internal sealed class DeploymentWorker(DeploymentQueue queue, IServiceScopeFactory scopes, ILogger<DeploymentWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var id in queue.ReadAllAsync(stoppingToken))
            {
                if (_running.ContainsKey(id)) continue;
                _running[id] = Task.Run(() => RunOneAsync(id, stoppingToken), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_running.Values);
    }

    private async Task RunOneAsync(string id, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<VmProvisioningService>().RunAsync(id, ct);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Deployment {Id} could not run", id);
        }
        finally
        {
            _running.TryRemove(id, out _);
        }
    }
}

public static class DeploymentServiceCollectionExtensions
{
    /// <summary>The background worker that provisions queued deployments.</summary>
    public static IServiceCollection AddMoxxieDeploymentWorker(this IServiceCollection services)
    {
        services.AddHostedService<DeploymentWorker>();
        return services;
    }
}
