using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Tasks;

/// <summary>Recent and running PVE tasks across connections, and task logs.</summary>
public sealed class TaskService(InventoryHub hub, IProxmoxConnections connections)
{
    /// <summary>Newest first. statusFilter: any of "running", "ok", "error" (comma separated in the API).
    /// Tasks Moxxie tracks (fresher than the last poll) are merged with each connection's /cluster/tasks.</summary>
    public IReadOnlyList<TaskView> Recent(int limit, IReadOnlyCollection<string>? statusFilter = null)
    {
        var byUpid = new Dictionary<string, TaskView>(StringComparer.Ordinal);
        foreach (var snapshot in hub.Snapshots)
            foreach (var task in snapshot.Tasks)
                byUpid[task.Upid] = new TaskView(snapshot.Connection, task);

        foreach (var tracked in hub.TrackedTasks)
        {
            if (tracked.Status is { } status)
            {
                // Prefer the tracker's view unless the poll already saw the task finish and the tracker did not.
                if (!byUpid.TryGetValue(tracked.Upid, out var polled) || polled.Task.Running || !status.Running)
                    byUpid[tracked.Upid] = new TaskView(tracked.Connection, status);
            }
            else if (!byUpid.ContainsKey(tracked.Upid))
            {
                byUpid[tracked.Upid] = new TaskView(tracked.Connection, new PveTask(
                    tracked.Upid, tracked.Node, tracked.Type, tracked.Id, tracked.StartedBy, tracked.StartedAt, null, true, null));
            }
        }

        var filters = statusFilter?.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).ToHashSet();
        IEnumerable<TaskView> result = byUpid.Values;
        if (filters is { Count: > 0 }) result = result.Where(t => filters.Contains(Category(t.Task)));
        return [.. result
            .OrderByDescending(t => t.Task.StartTime)
            .ThenByDescending(t => t.Task.Upid, StringComparer.Ordinal)
            .Take(Math.Max(0, limit))];
    }

    /// <summary>"running", "ok" (OK or WARNINGS) or "error".</summary>
    public static string Category(PveTask task) => task.Running ? "running" : task.Succeeded ? "ok" : "error";

    public Task<TaskLog> GetLogAsync(string connection, string node, string upid, int start, int limit, CancellationToken ct) =>
        connections.Get(connection).GetTaskLogAsync(node, upid, start, limit, ct);

    /// <summary>A tracked task by UPID (with the log lines seen so far), if Moxxie follows it.</summary>
    public TrackedTask? FindTracked(string upid) => hub.TrackedTasks.FirstOrDefault(t => t.Upid == upid);
}

public sealed record TaskView(string Connection, PveTask Task);
