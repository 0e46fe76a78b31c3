using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;

namespace Moxxie.Infrastructure.Inventory;

/// <summary>
/// One refresher loop per PVE connection (not per browser): every PollInterval it reads /cluster/status,
/// /cluster/resources and /cluster/tasks (three calls whatever the number of guests; every few polls one guest list per
/// node to tell paused VMs apart) and publishes an <see cref="InventorySnapshot"/> to the <see cref="InventoryHub"/>.
/// An unreachable connection keeps its last good state with Error set (within StaleAfter even when PVE does not answer at
/// all); each snapshot carries per-guest CPU history and I/O rates (<see cref="GuestMetricsHistory"/>). Loops follow
/// IProxmoxConnections.Changed.
/// </summary>
internal sealed class InventoryRefresher(
    IProxmoxConnections connections,
    InventoryHub hub,
    IOptions<InventoryOptions> options,
    TimeProvider time,
    ILogger<InventoryRefresher> logger) : BackgroundService, IInventoryRefreshSignal
{
    private readonly IProxmoxConnections _connections = connections;
    private readonly InventoryHub _hub = hub;
    private readonly InventoryOptions _options = options.Value;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<string, ConnectionLoop> _loops = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();
    private CancellationToken _stopping = new(canceled: true);

    public void RequestRefresh(string connection)
    {
        if (_loops.TryGetValue(connection, out var loop)) loop.Wake(force: true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lock (_gate) _stopping = stoppingToken;
        _connections.Changed += Reconcile;
        try
        {
            Reconcile();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _connections.Changed -= Reconcile;
            List<ConnectionLoop> loops;
            lock (_gate)
            {
                loops = [.. _loops.Values];
                _loops.Clear();
            }
            await Task.WhenAll(loops.Select(l => l.StopAsync()));
        }
    }

    private void Reconcile()
    {
        try
        {
            lock (_gate)
            {
                if (_stopping.IsCancellationRequested) return;
                var names = _connections.All.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var (name, loop) in _loops)
                {
                    if (names.Contains(name))
                    {
                        loop.Wake(force: true); // settings may have changed: show the new state now
                        continue;
                    }
                    _loops.TryRemove(name, out _);
                    _ = loop.StopAsync();
                    _hub.Remove(name);
                }
                foreach (var name in names.Where(n => !_loops.ContainsKey(n)))
                {
                    var loop = new ConnectionLoop(name, this, _stopping);
                    _loops[name] = loop;
                    loop.Start();
                }
            }
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not reconcile inventory loops with the Proxmox connections");
        }
    }

    /// <summary>The poll loop of one connection: a PeriodicTimer on TimeProvider feeds a one-slot wake channel, so ticks
    /// and on-demand refreshes coalesce and polls never overlap; an on-demand refresh keeps RefreshMinGap after the last poll.</summary>
    private sealed class ConnectionLoop(string name, InventoryRefresher owner, CancellationToken stopping)
    {
        private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private readonly GuestMetricsHistory _history = new();
        private readonly Lock _publish = new();
        private Task _run = Task.CompletedTask;
        private InventorySnapshot? _lastGood;
        private string? _lastError;
        private IReadOnlySet<int> _paused = new HashSet<int>();
        private int _polls;
        private volatile bool _forcePausedCheck = true;

        public void Start()
        {
            _wake.Writer.TryWrite(true);
            var ct = _cts.Token;
            _run = Task.WhenAll(Task.Run(() => TickAsync(ct)), Task.Run(() => PollLoopAsync(ct)), Task.Run(() => WatchdogAsync(ct)));
        }

        public void Wake(bool force)
        {
            if (force) _forcePausedCheck = true;
            _wake.Writer.TryWrite(true);
        }

        public async Task StopAsync()
        {
            try
            {
                await _cts.CancelAsync();
                await _run;
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                owner._logger.LogDebug(ex, "Inventory loop {Connection} ended with an error", name);
            }
            finally
            {
                _cts.Dispose();
            }
        }

        private async Task TickAsync(CancellationToken ct)
        {
            try
            {
                using var timer = new PeriodicTimer(owner._options.PollInterval, owner._time);
                while (await timer.WaitForNextTickAsync(ct)) _wake.Writer.TryWrite(false); // false: the tick, not on demand
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>Reports the connection stale when no poll succeeded for StaleAfter, although the poll in flight has not
        /// failed yet (a PVE that accepts connections but does not answer only fails after the client's timeout).</summary>
        private async Task WatchdogAsync(CancellationToken ct)
        {
            var staleAfter = owner._options.StaleAfter;
            if (staleAfter <= TimeSpan.Zero) return;
            try
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(staleAfter.TotalMilliseconds / 5, 100, 1000)), owner._time);
                while (await timer.WaitForNextTickAsync(ct))
                {
                    var now = owner._time.GetUtcNow();
                    lock (_publish)
                    {
                        if (_lastGood is not { } good || _lastError is not null || now - good.At <= staleAfter) continue;
                        _lastError = $"{name} has not answered for {(now - good.At).TotalSeconds:0} s.";
                        owner._logger.LogWarning("Inventory of {Connection} is stale: {Message}", name, _lastError);
                        owner._hub.Publish(good with { Error = _lastError, CheckedAt = now });
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task PollLoopAsync(CancellationToken ct)
        {
            try
            {
                long? lastEnded = null;
                await foreach (var onDemand in _wake.Reader.ReadAllAsync(ct))
                {
                    if (onDemand && lastEnded is { } ended && owner._options.RefreshMinGap - owner._time.GetElapsedTime(ended) is { Ticks: > 0 } wait)
                        await Task.Delay(wait, owner._time, ct); // further wakes meanwhile coalesce into this poll
                    await PollOnceAsync(ct);
                    lastEnded = owner._time.GetTimestamp();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        private async Task PollOnceAsync(CancellationToken ct)
        {
            try
            {
                var gateway = owner._connections.Get(name);
                var statusTask = gateway.GetClusterStatusAsync(ct);
                var resourcesTask = gateway.GetResourcesAsync(ct);
                var tasksTask = gateway.GetClusterTasksAsync(ct);
                await Task.WhenAll(statusTask, resourcesTask, tasksTask);
                var resources = await WithPausedAsync(gateway, await resourcesTask, ct);
                var tasks = (await tasksTask).OrderByDescending(t => t.StartTime).ToList();
                var at = owner._time.GetUtcNow();
                var snapshot = new InventorySnapshot(name, at, await statusTask, resources, tasks, null)
                {
                    Metrics = _history.Update(resources.Guests, at),
                };
                lock (_publish)
                {
                    _lastGood = snapshot;
                    if (_lastError is not null) owner._logger.LogInformation("Proxmox connection {Connection} is reachable again", name);
                    _lastError = null;
                    owner._hub.Publish(snapshot);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (KeyNotFoundException)
            {
                // The connection was removed; Reconcile stops this loop.
            }
            catch (Exception ex)
            {
                var message = ex is ProxmoxException ? ex.Message : $"Unexpected error: {ex.Message}";
                lock (_publish)
                {
                    if (message == _lastError) return;
                    if (ex is ProxmoxException) owner._logger.LogWarning("Inventory of {Connection} failed: {Message}", name, message);
                    else owner._logger.LogError(ex, "Inventory of {Connection} failed", name);
                    _lastError = message;
                    var now = owner._time.GetUtcNow();
                    var snapshot = (_lastGood ?? new InventorySnapshot(name, now, null, ClusterResources.Empty, [], null)) with { Error = message, CheckedAt = now };
                    owner._hub.Publish(snapshot);
                }
            }
        }

        /// <summary>PVE's /cluster/resources reports paused VMs as running; every few polls (and right after a tracked task
        /// ended) one guest list per node with qmpstatus tells them apart.</summary>
        private async Task<ClusterResources> WithPausedAsync(IProxmoxGateway gateway, ClusterResources resources, CancellationToken ct)
        {
            var every = owner._options.PausedCheckEvery;
            if (every <= 0 || gateway is not ProxmoxGateway pve) return resources;
            var runningQemu = resources.Guests.Where(g => g.Type == GuestType.Qemu && g.Status is "running" or "paused").ToList();
            if (runningQemu.Count == 0)
            {
                _paused = new HashSet<int>();
                return resources;
            }
            if (_forcePausedCheck || _polls++ % every == 0)
            {
                _forcePausedCheck = false;
                try
                {
                    var nodes = runningQemu.Select(g => g.Node).Distinct(StringComparer.Ordinal).ToList();
                    var lists = await Task.WhenAll(nodes.Select(n => pve.GetNodeQemuAsync(n, ct)));
                    _paused = lists.SelectMany(l => l)
                        .Where(g => g.VmId is not null && g.QmpStatus is "paused" or "suspended" or "prelaunch")
                        .Select(g => g.VmId!.Value)
                        .ToHashSet();
                }
                catch (ProxmoxException ex)
                {
                    owner._logger.LogDebug("Paused-state check of {Connection} failed: {Message}", name, ex.Message);
                }
            }
            if (_paused.Count == 0) return resources;
            return resources with
            {
                Guests = [.. resources.Guests.Select(g => g.Type == GuestType.Qemu && g.Status == "running" && _paused.Contains(g.VmId) ? g with { Status = "paused" } : g)],
            };
        }
    }
}
