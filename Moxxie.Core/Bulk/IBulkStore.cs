namespace Moxxie.Core.Bulk;

/// <summary>The port through which the bulk engine changes task rows safely when several workers (Moxxie instances) share
/// one database. Implemented in Infrastructure (PostgreSQL: row locks with FOR UPDATE SKIP LOCKED; SQLite: conditional
/// UPDATEs, one instance).</summary>
public interface IBulkStore
{
    /// <summary>Claims up to <paramref name="max"/> runnable tasks for <paramref name="owner"/>: pending ones past their
    /// backoff and running ones whose lease expired (their holder died), within each operation's limits (global, per
    /// node, sequential) counted over every instance. Claimed tasks are running, held by the owner until the lease ends.</summary>
    Task<IReadOnlyList<BulkClaim>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken ct);

    /// <summary>Applies <paramref name="change"/> to the task and saves it, only while <paramref name="owner"/> still holds
    /// it; false when another worker took it over (the caller must stop working on it).</summary>
    Task<bool> UpdateTaskAsync(long taskId, string owner, Action<BulkTask> change, CancellationToken ct);

    /// <summary>Extends the lease of the owner's tasks.</summary>
    Task RenewAsync(string owner, IReadOnlyCollection<long> taskIds, TimeSpan lease, CancellationToken ct);

    /// <summary>At start-up: tasks a previous process with the same owner id held are released at once (their lease ends now).</summary>
    Task<int> ExpireOwnAsync(string owner, CancellationToken ct);

    /// <summary>Queued/running operations whose tasks are all final become completed (or aborted); returns them.</summary>
    Task<IReadOnlyList<BulkOperation>> CompleteFinishedAsync(CancellationToken ct);

    /// <summary>The operation's tasks counted by status (over every instance), as committed now.</summary>
    Task<BulkCounts> CountsAsync(string operationId, CancellationToken ct);

    /// <summary>Abort: pending tasks (not claimed) become cancelled; returns how many.</summary>
    Task<int> CancelPendingAsync(string operationId, string message, CancellationToken ct);
}

/// <summary>A claimed task and its operation (as read at claim time).</summary>
public sealed record BulkClaim(BulkTask Task, BulkOperation Operation);

/// <summary>Wakes the worker when work was queued (it also looks on its own every poll interval).</summary>
public sealed class BulkWorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0) _signal.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
