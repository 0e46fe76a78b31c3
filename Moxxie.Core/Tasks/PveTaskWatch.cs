using System.Collections.Concurrent;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Tasks;

/// <summary>
/// Shared status reads for the PVE tasks Moxxie follows (the bulk engine's tasks, the task tracker's): instead of one
/// <c>GET /nodes/{node}/tasks/{upid}/status</c> per task per tick, one <c>GET /nodes/{node}/tasks?source=all&amp;since=</c> per
/// node answers every follower of that node. Callers asking while a read is in flight share it; a read younger than
/// <see cref="MinInterval"/> answers again. <c>since</c> is the oldest start among the tasks asked about recently (from their
/// UPIDs, so PVE's own clock). A task missing from a complete list read that began after it was first asked about is read on
/// its own (<c>…/status</c>), so a long or unusual list never hides a task.
/// </summary>
public sealed class PveTaskWatch(IProxmoxConnections connections, TimeProvider time)
{
    /// <summary>Entries asked for per node read; a list this long is treated as possibly incomplete.</summary>
    public const int Limit = 1000;

    private static readonly TimeSpan ForgetAfter = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Connection, string Node), Board> _boards = new();

    /// <summary>A node's list read this young answers without a new read (followers poll every 0.2–0.5 s).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Node list reads made so far (figures and tests).</summary>
    public long Reads => Interlocked.Read(ref _reads);

    private long _reads;

    /// <summary>The task's status as of a recent read of its node's task list; null when no read that began after the first
    /// question about this task has come back yet (the caller treats it as still running and asks again).</summary>
    public async Task<PveTask?> StatusAsync(string connection, string node, string upid, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(upid);
        if (!Upid.TryParse(upid, out var parsed))
            return await connections.Get(connection).GetTaskStatusAsync(node, upid, ct);
        var board = _boards.GetOrAdd((connection, node), _ => new Board());
        var now = time.GetTimestamp();
        long firstAsked;
        Task<Read> pending;
        lock (board.Gate)
        {
            firstAsked = board.Watched.TryGetValue(upid, out var w) ? w.FirstAsked : now;
            board.Watched[upid] = (parsed.StartTime, firstAsked, now);
            if (board.InFlight is { } inFlight) pending = inFlight;
            else if (board.Last is { } last && time.GetElapsedTime(last.StartedAt) < MinInterval && last.Since <= parsed.StartTime)
                pending = Task.FromResult(last);
            else pending = board.InFlight = ReadAsync(connection, node, board);
        }
        var read = await pending.WaitAsync(ct);
        if (read.Tasks.TryGetValue(upid, out var task))
        {
            if (!task.Running) Forget(board, upid);
            return task;
        }
        if (read.StartedAt < firstAsked || !read.Complete || read.Since > parsed.StartTime) return null;
        // Not in a complete list that covers it: ask PVE about this one task.
        var alone = await connections.Get(connection).GetTaskStatusAsync(node, upid, ct);
        if (!alone.Running) Forget(board, upid);
        return alone;
    }

    private static void Forget(Board board, string upid)
    {
        lock (board.Gate) board.Watched.Remove(upid);
    }

    private Task<Read> ReadAsync(string connection, string node, Board board)
    {
        DateTimeOffset since;
        var startedAt = time.GetTimestamp();
        lock (board.Gate)
        {
            foreach (var (key, w) in board.Watched.Where(kv => time.GetElapsedTime(kv.Value.LastAsked) > ForgetAfter).ToList())
                board.Watched.Remove(key);
            since = board.Watched.Count == 0 ? time.GetUtcNow() : board.Watched.Values.Min(w => w.Start);
        }
        return Task.Run(async () =>
        {
            try
            {
                Interlocked.Increment(ref _reads);
                // Not the caller's token: other followers wait on this read too (the client's own timeout bounds it).
                var list = await connections.Get(connection).GetNodeTasksSinceAsync(node, since, Limit, CancellationToken.None);
                var read = new Read(startedAt, since, list.GroupBy(t => t.Upid, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
                    list.Count < Limit);
                lock (board.Gate) board.Last = read;
                return read;
            }
            finally
            {
                lock (board.Gate) board.InFlight = null;
            }
        });
    }

    private sealed record Read(long StartedAt, DateTimeOffset Since, IReadOnlyDictionary<string, PveTask> Tasks, bool Complete);

    private sealed class Board
    {
        public Lock Gate { get; } = new();
        public Dictionary<string, (DateTimeOffset Start, long FirstAsked, long LastAsked)> Watched { get; } = new(StringComparer.Ordinal);
        public Task<Read>? InFlight { get; set; }
        public Read? Last { get; set; }
    }
}
