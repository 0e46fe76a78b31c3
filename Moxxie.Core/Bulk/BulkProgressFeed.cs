using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moxxie.Core.Bulk;

/// <summary>
/// Singleton, live progress of bulk operations run by this process: subscribe to one operation (or all), dispose to stop.
/// The handler runs on the subscription's own reader loop, one event at a time, in order (marshal with InvokeAsync in a
/// component). Events are published after the change is committed. A run by another Moxxie instance on the same database
/// is not seen here: read <see cref="IBulkOperationService.GetAsync"/> for the truth (e.g. on a slow timer).
/// </summary>
public sealed class BulkProgressFeed(ILogger<BulkProgressFeed>? logger = null)
{
    private const int Buffer = 1024;
    private readonly ConcurrentDictionary<long, Subscriber> _subscribers = new();
    private readonly ILogger _logger = logger ?? NullLogger<BulkProgressFeed>.Instance;
    private long _next;

    /// <summary>Events of one operation.</summary>
    public IDisposable Subscribe(string operationId, Func<BulkProgressEvent, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        return Add(operationId, handler);
    }

    /// <summary>Events of every operation (the list of operations).</summary>
    public IDisposable SubscribeAll(Func<BulkProgressEvent, Task> handler) => Add(null, handler);

    public int SubscriberCount => _subscribers.Count;

    /// <summary>Someone listens to this operation's events (or to every operation's).</summary>
    public bool IsWatched(string operationId) => _subscribers.Values.Any(s => s.OperationId is null || s.OperationId == operationId);

    public void Publish(BulkProgressEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var s in _subscribers.Values)
            if (s.OperationId is null || s.OperationId == e.OperationId) s.Post(e);
    }

    private Subscriber Add(string? operationId, Func<BulkProgressEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var id = Interlocked.Increment(ref _next);
        var s = new Subscriber(this, id, operationId, handler);
        _subscribers[id] = s;
        s.Start();
        return s;
    }

    private sealed class Subscriber(BulkProgressFeed feed, long id, string? operationId, Func<BulkProgressEvent, Task> handler) : IDisposable
    {
        private readonly Channel<BulkProgressEvent> _channel = Channel.CreateBounded<BulkProgressEvent>(
            new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public string? OperationId => operationId;

        public void Start() => _ = Task.Run(ReadLoopAsync);

        public void Post(BulkProgressEvent e) => _channel.Writer.TryWrite(e);

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
                    feed._logger.LogWarning(ex, "Bulk progress subscriber {Subscriber} threw", id);
                }
            }
        }

        public void Dispose()
        {
            feed._subscribers.TryRemove(id, out _);
            _channel.Writer.TryComplete();
        }
    }
}
