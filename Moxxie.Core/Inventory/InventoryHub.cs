using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moxxie.Core.Inventory;

/// <summary>
/// Singleton, BCL only. Holds the latest <see cref="InventorySnapshot"/> per connection and the tasks being tracked,
/// and fans changes out to subscribers (Blazor circuits). Publishing never waits for a subscriber.
/// Infrastructure's refresher (one per connection, not one per browser) publishes; pages subscribe and re-render
/// through InvokeAsync, disposing the subscription with the component.
/// </summary>
/// <remarks>Each subscriber gets its own bounded channel (oldest events dropped when it falls behind) drained by its own
/// reader loop, so a slow or throwing handler only ever delays itself. Handler exceptions are logged and swallowed.</remarks>
public sealed class InventoryHub
{
    /// <summary>How many tracked tasks are kept (running ones are never evicted).</summary>
    public const int MaxTrackedTasks = 200;
    private const int SubscriberBuffer = 256;

    private readonly ConcurrentDictionary<string, InventorySnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TrackedTask> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, Subscriber> _subscribers = new();
    private readonly ILogger _logger;
    private long _nextSubscriber;

    public InventoryHub(ILogger<InventoryHub>? logger = null) => _logger = logger ?? NullLogger<InventoryHub>.Instance;

    public IReadOnlyList<InventorySnapshot> Snapshots => [.. _snapshots.Values.OrderBy(s => s.Connection, StringComparer.Ordinal)];

    public InventorySnapshot? Get(string connection) => _snapshots.GetValueOrDefault(connection);

    /// <summary>Newest first.</summary>
    public IReadOnlyList<TrackedTask> TrackedTasks => [.. _tasks.Values.OrderByDescending(t => t.StartedAt).ThenByDescending(t => t.Upid, StringComparer.Ordinal)];

    public void Publish(InventorySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _snapshots[snapshot.Connection] = snapshot;
        Fanout(new SnapshotUpdated(snapshot));
    }

    public void Publish(TrackedTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        _tasks[task.Upid] = task;
        if (_tasks.Count > MaxTrackedTasks) Trim();
        Fanout(new TaskUpdated(task));
    }

    /// <summary>A deployment changed (after the change is committed): pages watching it re-render.</summary>
    public void Publish(Deployments.DeploymentChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Fanout(change);
    }

    /// <summary>Forgets a connection that was removed (its snapshot disappears; subscribers get <see cref="ConnectionRemoved"/>).</summary>
    public void Remove(string connection)
    {
        if (_snapshots.TryRemove(connection, out _)) Fanout(new ConnectionRemoved(connection));
    }

    /// <summary>Subscribe to every change; dispose to stop. The handler runs on a background reader loop of this
    /// subscription (never on the publisher's thread, one event at a time, in order): marshal with InvokeAsync.</summary>
    public IDisposable Subscribe(Func<InventoryEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var id = Interlocked.Increment(ref _nextSubscriber);
        var subscriber = new Subscriber(this, id, handler);
        _subscribers[id] = subscriber;
        subscriber.Start();
        return subscriber;
    }

    /// <summary>Number of live subscriptions (diagnostics and tests).</summary>
    public int SubscriberCount => _subscribers.Count;

    private void Fanout(InventoryEvent e)
    {
        foreach (var s in _subscribers.Values) s.Post(e);
    }

    private void Trim()
    {
        var finished = _tasks.Values.Where(t => !t.Running).OrderBy(t => t.StartedAt).ToList();
        var excess = _tasks.Count - MaxTrackedTasks;
        foreach (var t in finished.Take(Math.Max(0, excess))) _tasks.TryRemove(t.Upid, out _);
    }

    private sealed class Subscriber(InventoryHub hub, long id, Func<InventoryEvent, Task> handler) : IDisposable
    {
        private readonly Channel<InventoryEvent> _channel = Channel.CreateBounded<InventoryEvent>(
            new BoundedChannelOptions(SubscriberBuffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false });

        public void Start() => _ = Task.Run(ReadLoopAsync);

        public void Post(InventoryEvent e) => _channel.Writer.TryWrite(e);

        private async Task ReadLoopAsync()
        {
            await foreach (var e in _channel.Reader.ReadAllAsync())
            {
                try
                {
                    await handler(e);
                }
                catch (Exception ex)
                {
                    hub._logger.LogWarning(ex, "Inventory subscriber {Subscriber} threw while handling {Event}", id, e.GetType().Name);
                }
            }
        }

        public void Dispose()
        {
            hub._subscribers.TryRemove(id, out _);
            _channel.Writer.TryComplete();
        }
    }
}
