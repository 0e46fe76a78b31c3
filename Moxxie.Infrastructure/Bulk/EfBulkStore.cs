using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Bulk;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Infrastructure.Bulk;

/// <summary>
/// Task claims and guarded task updates over EF Core. PostgreSQL (several instances): per operation, a short transaction
/// locks the operation row (<c>FOR UPDATE SKIP LOCKED</c>: an instance claiming in that operation right now is skipped, not
/// waited for), counts the tasks running under a live lease per node, picks the next tasks in plan order within the limits
/// and locks them with <c>FOR UPDATE SKIP LOCKED</c> before marking them running for this owner. SQLite (one instance):
/// each task is claimed with one conditional UPDATE (pending, or running with an expired lease). Task updates are guarded
/// by <see cref="BulkTask.ClaimedBy"/> (a concurrency token): a worker that lost its claim writes nothing.
/// </summary>
internal sealed class EfBulkStore(IDbContextFactory<MoxxieDbContext> factory, TimeProvider time, Microsoft.Extensions.Options.IOptions<BulkWorkerOptions> options) : IBulkStore
{
    public async Task<IReadOnlyList<BulkClaim>> ClaimAsync(string owner, int max, TimeSpan lease, CancellationToken ct)
    {
        if (max <= 0) return [];
        List<BulkOperation> ops;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            ops = await db.BulkOperations.AsNoTracking()
                .Where(o => o.Status == BulkStatus.Queued || o.Status == BulkStatus.Running)
                .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id).ToListAsync(ct);
        }
        var result = new List<BulkClaim>();
        foreach (var op in ops)
        {
            if (result.Count >= max) break;
            var claimed = await ClaimInOperationAsync(op, owner, max - result.Count, lease, ct);
            result.AddRange(claimed.Select(t => new BulkClaim(t, op)));
        }
        return result;
    }

    private async Task<List<BulkTask>> ClaimInOperationAsync(BulkOperation op, string owner, int max, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = now + lease;
        await using var db = await factory.CreateDbContextAsync(ct);
        var postgres = db.Database.IsNpgsql();
        await using var tx = postgres ? await db.Database.BeginTransactionAsync(ct) : null;
        if (postgres)
        {
            var locked = await db.Database.SqlQuery<string>($"SELECT \"Id\" AS \"Value\" FROM \"BulkOperations\" WHERE \"Id\" = {op.Id} FOR UPDATE SKIP LOCKED").ToListAsync(ct);
            if (locked.Count == 0) return [];
        }

        var running = await db.BulkTasks.AsNoTracking()
            .Where(t => t.OperationId == op.Id && t.Status == BulkTaskStatus.Running && t.LeaseUntil > now)
            .GroupBy(t => t.Node).Select(g => new { Node = g.Key, Count = g.Count() }).ToListAsync(ct);
        var perNodeCap = op.Sequential ? 1 : op.PerNodeLimit;
        var globalCap = op.Sequential ? 1 : op.MaxParallel;
        var globalFree = Math.Min(max, globalCap - running.Sum(r => r.Count));
        if (globalFree <= 0) return [];
        var busy = running.ToDictionary(r => r.Node, r => r.Count, StringComparer.Ordinal);

        // Only what could be claimed: per node, the first candidates in plan order up to the node's limit (one short read,
        // not every pending task of a 10,000-VM operation each round).
        var nowTicks = now.UtcTicks;
        var abortOnly = op.AbortRequestedAt is null ? 0 : 1;
        // An aborted operation only finishes what may have reached PVE (the executor cancels a claimed task that had not).
        var candidates = await db.Database.SqlQuery<Candidate>($"""
            SELECT "Id", "Node", "Seq" FROM (
              SELECT "Id", "Node", "Seq", ROW_NUMBER() OVER (PARTITION BY "Node" ORDER BY "Seq") AS "Rank" FROM "BulkTasks"
              WHERE "OperationId" = {op.Id}
              AND (("Status" = 'pending' AND ("NotBefore" IS NULL OR "NotBefore" <= {nowTicks})) OR ("Status" = 'running' AND ("LeaseUntil" IS NULL OR "LeaseUntil" <= {nowTicks})))
              AND ({abortOnly} = 0 OR "Status" = 'running' OR "PostingAt" IS NOT NULL OR "Upid" IS NOT NULL)
            ) AS c WHERE "Rank" <= {perNodeCap} ORDER BY "Seq"
            """).ToListAsync(ct);
        var chosen = new List<long>();
        foreach (var c in candidates)
        {
            if (chosen.Count >= globalFree) break;
            var n = busy.GetValueOrDefault(c.Node);
            if (n >= perNodeCap)
            {
                if (op.Sequential) break; // plan order: never overtake
                continue;
            }
            busy[c.Node] = n + 1;
            chosen.Add(c.Id);
        }
        if (chosen.Count == 0) return [];

        List<BulkTask> claimed;
        if (postgres)
        {
            var ids = chosen.ToArray();
            claimed = await db.BulkTasks.FromSql($"""
                SELECT * FROM "BulkTasks" WHERE "Id" = ANY({ids})
                AND (("Status" = 'pending' AND ("NotBefore" IS NULL OR "NotBefore" <= {nowTicks})) OR ("Status" = 'running' AND ("LeaseUntil" IS NULL OR "LeaseUntil" <= {nowTicks})))
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(ct);
            foreach (var t in claimed) Claim(t, owner, now, until);
            await db.SaveChangesAsync(ct);
            await MarkRunningAsync(db, op.Id, now, ct);
            await tx!.CommitAsync(ct);
        }
        else
        {
            var won = new List<long>();
            foreach (var id in chosen)
            {
                var n = await Candidates(db.BulkTasks, op.Id, now).Where(t => t.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Status, BulkTaskStatus.Running)
                    .SetProperty(t => t.ClaimedBy, owner)
                    .SetProperty(t => t.LeaseUntil, until)
                    .SetProperty(t => t.StartedAt, t => t.StartedAt ?? now), ct);
                if (n == 1) won.Add(id);
            }
            claimed = await db.BulkTasks.AsNoTracking().Where(t => won.Contains(t.Id)).OrderBy(t => t.Seq).ToListAsync(ct);
            if (claimed.Count > 0) await MarkRunningAsync(db, op.Id, now, ct);
        }
        return [.. claimed.OrderBy(t => t.Seq)];
    }

    private sealed class Candidate
    {
        public long Id { get; set; }
        public string Node { get; set; } = "";
        public int Seq { get; set; }
    }

    private static IQueryable<BulkTask> Candidates(IQueryable<BulkTask> tasks, string operationId, DateTimeOffset now) =>
        tasks.Where(t => t.OperationId == operationId &&
                         (t.Status == BulkTaskStatus.Pending && (t.NotBefore == null || t.NotBefore <= now)
                          || t.Status == BulkTaskStatus.Running && (t.LeaseUntil == null || t.LeaseUntil <= now)));

    private static void Claim(BulkTask t, string owner, DateTimeOffset now, DateTimeOffset until)
    {
        t.Status = BulkTaskStatus.Running;
        t.ClaimedBy = owner;
        t.LeaseUntil = until;
        t.StartedAt ??= now;
    }

    private static Task<int> MarkRunningAsync(MoxxieDbContext db, string operationId, DateTimeOffset now, CancellationToken ct) =>
        db.BulkOperations.Where(o => o.Id == operationId && o.Status == BulkStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, BulkStatus.Running).SetProperty(o => o.StartedAt, now), ct);

    public async Task<bool> UpdateTaskAsync(long taskId, string owner, Action<BulkTask> change, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var task = await db.BulkTasks.FirstOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null || task.ClaimedBy != owner) return false;
        // A claim whose lease ran out is no longer held, even if nobody has taken it yet: a worker that was too slow to
        // renew must not send a POST now (another instance may be resuming the task this very moment).
        var now = time.GetUtcNow();
        if (task.Status == BulkTaskStatus.Running && task.LeaseUntil is { } until && until <= now) return false;
        change(task);
        // Each committed step starts a fresh lease (the POST after the "about to POST" marker is covered by a whole lease).
        if (task.Status == BulkTaskStatus.Running && task.LeaseUntil is not null) task.LeaseUntil = now + options.Value.Lease;
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    public async Task RenewAsync(string owner, IReadOnlyCollection<long> taskIds, TimeSpan lease, CancellationToken ct)
    {
        if (taskIds.Count == 0) return;
        var until = time.GetUtcNow() + lease;
        var ids = taskIds.ToList();
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.BulkTasks.Where(t => ids.Contains(t.Id) && t.ClaimedBy == owner && t.Status == BulkTaskStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseUntil, until), ct);
    }

    public async Task<int> ExpireOwnAsync(string owner, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.BulkTasks.Where(t => t.ClaimedBy == owner && t.Status == BulkTaskStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseUntil, now), ct);
    }

    public async Task<IReadOnlyList<BulkOperation>> CompleteFinishedAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var done = await db.BulkOperations.AsNoTracking()
            .Where(o => (o.Status == BulkStatus.Queued || o.Status == BulkStatus.Running)
                        && !db.BulkTasks.Any(t => t.OperationId == o.Id && (t.Status == BulkTaskStatus.Pending || t.Status == BulkTaskStatus.Running)))
            .ToListAsync(ct);
        var result = new List<BulkOperation>();
        var now = time.GetUtcNow();
        foreach (var op in done)
        {
            var status = op.AbortRequestedAt is null ? BulkStatus.Completed : BulkStatus.Aborted;
            var n = await db.BulkOperations.Where(o => o.Id == op.Id && o.Status == op.Status)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, status).SetProperty(o => o.FinishedAt, now)
                    .SetProperty(o => o.StartedAt, o => o.StartedAt ?? now), ct);
            if (n == 1)
            {
                op.Status = status;
                op.FinishedAt = now;
                op.StartedAt ??= now;
                result.Add(op);
            }
        }
        return result;
    }

    public async Task<BulkCounts> CountsAsync(string operationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var groups = await db.BulkTasks.AsNoTracking().Where(t => t.OperationId == operationId)
            .GroupBy(t => t.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        return BulkCounts.Of(groups.SelectMany(g => Enumerable.Repeat(g.Status, g.Count)));
    }

    public async Task<int> CancelPendingAsync(string operationId, string message, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        // A pending task that may have reached PVE (marker or UPID, released for a retry) is left to the worker to settle.
        return await db.BulkTasks.Where(t => t.OperationId == operationId && t.Status == BulkTaskStatus.Pending && t.PostingAt == null && t.Upid == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, BulkTaskStatus.Cancelled).SetProperty(t => t.Message, message)
                .SetProperty(t => t.Error, "cancelled").SetProperty(t => t.FinishedAt, now)
                .SetProperty(t => t.ClaimedBy, (string?)null).SetProperty(t => t.LeaseUntil, (DateTimeOffset?)null), ct);
    }
}
