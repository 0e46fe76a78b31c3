using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moxxie.Core.Bulk;
using Moxxie.Infrastructure.Bulk;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Tests.Infrastructure;
using Moxxie.Tests.Unit.Support;
using Xunit;

namespace Moxxie.Tests.Integration.Bulk;

/// <summary>The bulk store's claims and guarded updates on both providers (migrated databases): a claim reads only what it
/// can take (per node up to the limit, in plan order), a worker whose lease ran out commits nothing — not even before
/// another instance took the task — and each committed step starts a fresh lease; counts are per status.</summary>
public sealed class EfBulkStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private sealed class Factory(TestDatabase db) : IDbContextFactory<MoxxieDbContext>
    {
        public MoxxieDbContext CreateDbContext() => db.CreateContext();
    }

    private static async Task<(TestDatabase Db, EfBulkStore Store, ManualClock Clock)> SeedAsync(DbProvider provider)
    {
        var db = await TestDatabase.CreateMigratedAsync(provider, Ct);
        var clock = new ManualClock();
        await using (var context = db.CreateContext())
        {
            context.BulkOperations.Add(new BulkOperation
            {
                Id = "bulk-store-test", Kind = BulkKinds.Power, Action = "stop", ParametersJson = "{}", SelectionJson = "{}", PlanJson = "[]",
                MaxParallel = 10, PerNodeLimit = 2, TotalTasks = 11, RequestedBy = "admin", Source = "test", CreatedAt = clock.GetUtcNow(),
            });
            var nodes = new[] { "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "c" };
            for (var i = 0; i < nodes.Length; i++)
                context.BulkTasks.Add(new BulkTask
                {
                    OperationId = "bulk-store-test", Seq = i, Connection = "c1", Node = nodes[i], VmId = 100 + i, VmName = $"vm-{i}", Action = "stop",
                    CreatedAt = clock.GetUtcNow(),
                });
            await context.SaveChangesAsync(Ct);
        }
        var store = new EfBulkStore(new Factory(db), clock, Options.Create(new BulkWorkerOptions { Lease = Lease }));
        return (db, store, clock);
    }

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Claims_respect_the_per_node_limit_in_plan_order_and_a_lapsed_lease_commits_nothing(DbProvider provider)
    {
        var (db, store, clock) = await SeedAsync(provider);
        await using var _ = db;

        var first = await store.ClaimAsync("instance-a", 100, Lease, Ct);
        Assert.Equal([0, 1, 5, 6, 10], first.Select(c => c.Task.Seq));        // 2 on a, 2 on b, 1 on c
        Assert.Empty(await store.ClaimAsync("instance-b", 100, Lease, Ct));    // the limits count instance-a's claims
        Assert.Equal(new BulkCounts(11, 6, 5, 0, 0, 0, 0), await store.CountsAsync("bulk-store-test", Ct));

        var task0 = first[0].Task.Id;
        var task1 = first[1].Task.Id;
        // Twenty seconds on, a committed step renews the task's lease to a full one from now.
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.True(await store.UpdateTaskAsync(task0, "instance-a", t => t.PostingAt = clock.GetUtcNow(), Ct));
        // Past the first lease: task1 (not renewed) has lapsed — instance-a may no longer write it even though nobody took it.
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.False(await store.UpdateTaskAsync(task1, "instance-a", t => t.Attempts++, Ct));
        Assert.True(await store.UpdateTaskAsync(task0, "instance-a", t => t.Attempts++, Ct));

        // instance-b takes over what lapsed (task1 and the other three claimed at the start), never task0.
        var second = await store.ClaimAsync("instance-b", 100, Lease, Ct);
        Assert.DoesNotContain(second, c => c.Task.Id == task0);
        Assert.Contains(second, c => c.Task.Id == task1);
        Assert.All(second.GroupBy(c => c.Task.Node), g => Assert.True(g.Count() <= 2));
        Assert.False(await store.UpdateTaskAsync(task1, "instance-a", t => t.Attempts++, Ct));
        Assert.True(await store.UpdateTaskAsync(task1, "instance-b", t => { t.Status = BulkTaskStatus.Succeeded; t.LeaseUntil = null; }, Ct));

        await using var context = db.CreateContext();
        var rows = await context.BulkTasks.AsNoTracking().Where(t => t.Id == task0 || t.Id == task1).ToDictionaryAsync(t => t.Id, Ct);
        Assert.Equal(("instance-a", 1, clock.GetUtcNow() + Lease), (rows[task0].ClaimedBy, rows[task0].Attempts, rows[task0].LeaseUntil));
        Assert.Equal(("instance-b", 0, BulkTaskStatus.Succeeded, (DateTimeOffset?)null), (rows[task1].ClaimedBy, rows[task1].Attempts, rows[task1].Status, rows[task1].LeaseUntil));
        Assert.Equal(1, (await store.CountsAsync("bulk-store-test", Ct)).Succeeded);
    }
}
