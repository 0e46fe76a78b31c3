using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moxxie.Core.Bulk;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Bulk;

/// <summary>Configuration of the bulk worker (section Moxxie:Bulk).</summary>
public sealed class BulkWorkerOptions
{
    public const string Section = "Moxxie:Bulk";

    /// <summary>Off: this instance queues operations but runs none (another instance on the same database does).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>This instance's claim owner. Unique per running instance; when stable across restarts, a restarted
    /// instance resumes its own tasks at once instead of waiting for their leases to run out. Default: machine:pid:random.</summary>
    public string? InstanceId { get; set; }

    /// <summary>How long a claim holds without renewal (renewed every third of it while the task runs).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker looks for work when not woken.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Tasks this instance runs at once (over all operations). Kept well below the database connection pool
    /// (Npgsql's default: 100): a running task holds no connection while it waits on PVE, but its steps (marker, UPID,
    /// result, audit row), the claim loop, lease renewal and the UI all draw on the pool at once. On PostgreSQL it is
    /// capped at half the connection string's Maximum Pool Size.</summary>
    public int MaxConcurrent { get; set; } = 48;

    /// <summary>Longest wait at start for the inventory of every connection (tasks check VMs against it).</summary>
    public TimeSpan InventoryWait { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>The bulk engine's hosted worker: claims runnable tasks (see <see cref="IBulkStore"/>), runs each through
/// <see cref="BulkExecutor"/> in its own DI scope, renews the leases of the tasks it runs, completes finished operations
/// and publishes their progress. On start it resumes: tasks with a UPID are followed, tasks marked "about to POST" without
/// one are checked against PVE's task list first (both by the executor).</summary>
internal sealed class BulkWorker(
    IServiceScopeFactory scopes,
    IBulkStore store,
    BulkWorkSignal signal,
    BulkProgressFeed feed,
    InventoryHub hub,
    IProxmoxConnections connections,
    IOptions<BulkWorkerOptions> options,
    TimeProvider time,
    ILogger<BulkWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly BulkWorkerOptions _o = options.Value;

    public string Owner { get; } = options.Value.InstanceId is { Length: > 0 } id
        ? id
        : $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_o.Enabled) return;
        var renewing = Task.CompletedTask;
        try
        {
            await Task.Yield();
            if (_o.InstanceId is { Length: > 0 })
            {
                var resumed = await store.ExpireOwnAsync(Owner, stoppingToken);
                if (resumed > 0) logger.LogInformation("Bulk worker {Owner}: resuming {Count} task(s) held before a restart", Owner, resumed);
            }
            await WaitForInventoryAsync(stoppingToken);
            renewing = RenewLoopAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var free = _o.MaxConcurrent - _running.Count;
                    if (free > 0)
                    {
                        foreach (var claim in await store.ClaimAsync(Owner, free, _o.Lease, stoppingToken))
                        {
                            // A task of ours whose lease ran out while this loop was slow comes back in a claim: it is
                            // still running here, so it keeps its one executor (a second would POST again or fail it).
                            if (_running.ContainsKey(claim.Task.Id)) continue;
                            _running[claim.Task.Id] = Task.Run(() => RunOneAsync(claim, stoppingToken), CancellationToken.None);
                        }
                    }
                    foreach (var op in await store.CompleteFinishedAsync(stoppingToken))
                        await PublishFinishedAsync(op, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Bulk worker {Owner}: claim round failed", Owner);
                }
                try
                {
                    await signal.WaitAsync(_o.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_running.Values);
        await renewing;
    }

    /// <summary>Renews the leases of the tasks running here every third of a lease, on its own: a slow claim round (a busy
    /// database, a loaded machine) never delays a renewal, and timer delays do not follow the wall clock (a clock set
    /// back cannot stop the renewals).</summary>
    private async Task RenewLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_o.Lease / 3, time, ct);
                await store.RenewAsync(Owner, [.. _running.Keys], _o.Lease, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Tried again a third of a lease later; a lease that runs out meanwhile is taken over (and resumed) safely.
                logger.LogWarning(ex, "Bulk worker {Owner}: lease renewal failed", Owner);
            }
        }
    }

    private async Task WaitForInventoryAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < _o.InventoryWait && connections.All.Any(c => hub.Get(c.Name) is null))
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, ct);
    }

    private async Task RunOneAsync(BulkClaim claim, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BulkExecutor>().RunAsync(claim, Owner, ct);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Bulk task {Task} could not run", claim.Task.Id);
        }
        finally
        {
            _running.TryRemove(claim.Task.Id, out _);
            signal.Notify();
        }
    }

    private async Task PublishFinishedAsync(BulkOperation op, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<IBulkOperationService>().GetAsync(op.Id, ct);
        if (view is null) return;
        var c = view.Counts;
        feed.Publish(new BulkProgressEvent(op.Id, view.Status, c, time.GetUtcNow(),
            LogLine: $"Operation {view.Status}: {c.Succeeded} succeeded, {c.Failed} failed, {c.Skipped} skipped, {c.Cancelled} cancelled"
                     + (view.DurationSeconds is { } d ? $" in {d:0.#} s" : "")));
    }
}

public static class BulkServiceCollectionExtensions
{
    /// <summary>The bulk engine's store (claims over the database) and its background worker (Moxxie:Bulk options).</summary>
    public static IServiceCollection AddMoxxieBulkWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BulkWorkerOptions>().Bind(configuration.GetSection(BulkWorkerOptions.Section))
            .PostConfigure(o => o.MaxConcurrent = Math.Max(1, Math.Min(o.MaxConcurrent, PoolSize(configuration) / 2)));
        services.AddOptions<BulkEngineOptions>().Bind(configuration.GetSection(BulkWorkerOptions.Section));
        services.AddSingleton<IBulkStore, EfBulkStore>();
        services.AddHostedService<BulkWorker>();
        return services;
    }

    /// <summary>The PostgreSQL connection pool's size (Maximum Pool Size, Npgsql's default 100); unbounded for SQLite.</summary>
    private static int PoolSize(IConfiguration configuration)
    {
        var provider = configuration[Persistence.PersistenceServiceCollectionExtensions.ProviderKey];
        if (provider is null || !provider.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase)) return int.MaxValue;
        try
        {
            return new Npgsql.NpgsqlConnectionStringBuilder(configuration[Persistence.PersistenceServiceCollectionExtensions.ConnectionStringKey]).MaxPoolSize;
        }
        catch (ArgumentException)
        {
            return 100;
        }
    }
}
