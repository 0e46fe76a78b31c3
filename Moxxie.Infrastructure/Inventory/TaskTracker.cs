using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Tasks;

namespace Moxxie.Infrastructure.Inventory;

/// <summary>Follows tasks Moxxie started: polls status and new log lines every TaskPollInterval until the task stops,
/// publishes <see cref="TrackedTask"/> updates (Percent from log lines that carry one) and asks the connection's
/// refresher for an immediate poll when the task ends, so the guest's new status shows within about a second.</summary>
internal sealed class TaskTracker(
    IProxmoxConnections connections,
    InventoryHub hub,
    IInventoryRefreshSignal refresh,
    PveTaskWatch watch,
    IOptions<InventoryOptions> options,
    TimeProvider time,
    ILogger<TaskTracker> logger) : ITaskTracker, IDisposable
{
    private const int LogPage = 1000;
    private const int LogEvery = 4;
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _cts = new();

    public int ActiveCount => _active.Count;

    public void Track(string connection, string node, string upid, string startedBy)
    {
        ArgumentException.ThrowIfNullOrEmpty(upid);
        if (_cts.IsCancellationRequested || !_active.TryAdd(upid, 0)) return;
        Upid.TryParse(upid, out var parsed);
        var task = new TrackedTask(connection, node, upid, parsed?.Type ?? "", parsed?.Id, startedBy,
            parsed?.StartTime ?? time.GetUtcNow(), null, [], null);
        hub.Publish(task);
        var ct = _cts.Token;
        _ = Task.Run(() => FollowAsync(task, ct), CancellationToken.None);
    }

    private async Task FollowAsync(TrackedTask task, CancellationToken ct)
    {
        var lines = new List<TaskLogLine>();
        var failures = 0;
        var ticks = 0;
        try
        {
            using var timer = new PeriodicTimer(options.Value.TaskPollInterval, time);
            while (true)
            {
                try
                {
                    var gateway = connections.Get(task.Connection);
                    // Status from the node's shared task list read (one read per node per tick for every followed task);
                    // the log (for the percentage) every LogEvery ticks while running and once at the end.
                    var status = await watch.StatusAsync(task.Connection, task.Node, task.Upid, ct) ?? task.Status;
                    var running = status?.Running ?? true;
                    failures = 0;
                    var grew = false;
                    if (!running || ticks++ % LogEvery == 0)
                        grew = Append(lines, await gateway.GetTaskLogAsync(task.Node, task.Upid, lines.Count, LogPage, ct), running);
                    if (status is null)
                    {
                        if (grew) hub.Publish(task = task with { Log = [.. lines], Percent = TaskProgress.FromLog(lines) });
                        if (!await timer.WaitForNextTickAsync(ct)) return;
                        continue;
                    }
                    var percent = TaskProgress.FromLog(lines);
                    if (!status.Running && status.Succeeded && percent is not null) percent = 100;
                    var next = task with { Status = status, Log = grew ? [.. lines] : task.Log, Percent = percent };
                    if (grew || next.Status != task.Status || next.Percent != task.Percent) hub.Publish(next);
                    task = next;
                    if (!status.Running)
                    {
                        refresh.RequestRefresh(task.Connection);
                        return;
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (KeyNotFoundException)
                {
                    return; // connection removed
                }
                catch (Exception ex)
                {
                    if (++failures >= options.Value.TaskMaxFailures)
                    {
                        logger.LogWarning("Gave up following task {Upid} on {Connection}: {Message}", task.Upid, task.Connection, ex.Message);
                        hub.Publish(task with
                        {
                            Status = new PveTask(task.Upid, task.Node, task.Type, task.Id, task.StartedBy, task.StartedAt, time.GetUtcNow(), false,
                                $"unknown: Moxxie lost contact with the task ({ex.Message})"),
                        });
                        return;
                    }
                    logger.LogDebug("Polling task {Upid} failed ({Failures}): {Message}", task.Upid, failures, ex.Message);
                }
                if (!await timer.WaitForNextTickAsync(ct)) return;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Following task {Upid} failed", task.Upid);
        }
        finally
        {
            _active.TryRemove(task.Upid, out _);
        }
    }

    /// <summary>Appends the new page of log lines; PVE answers "no content" for a task that wrote nothing yet.</summary>
    private static bool Append(List<TaskLogLine> lines, TaskLog log, bool running)
    {
        var page = log.Lines;
        if (page.Count == 0) return false;
        if (lines.Count == 0 && page.Count == 1 && log.Total <= 1 && page[0].Text == "no content") return false;
        var before = lines.Count;
        foreach (var line in page)
            if (line.N > lines.Count) lines.Add(line);
        return lines.Count > before;
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
