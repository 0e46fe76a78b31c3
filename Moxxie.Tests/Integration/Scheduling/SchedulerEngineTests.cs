using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Scheduling;

/// <summary>The scheduler loop on a real database with a test clock: due fire times, the grace window (run once /
/// recorded as missed), no overlap, manual runs, and two instances on one PostgreSQL running each fire time once.</summary>
public sealed class SchedulerEngineTests
{
    private static readonly Actor Operator = new("olga", [MoxxieRoles.Operator], "10.0.0.9");
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 30, TimeSpan.Zero);

    /// <summary>Records what it was asked to run; a run ends when the test says so (or at once with <see cref="Immediate"/>).</summary>
    private sealed class FakeExecutor : IScheduledRunExecutor
    {
        public ConcurrentBag<(long RunId, DateTimeOffset FireTime, int Vms)> Started { get; } = [];
        public ConcurrentDictionary<string, int> Open { get; } = new();
        public bool Immediate { get; set; } = true;

        public Task<ScheduledRunOutcome?> StartAsync(ScheduledRunContext context, CancellationToken ct)
        {
            Started.Add((context.Run.Id, context.Run.FireTime, context.Vms.Count));
            context.Run.OperationId = $"op-{context.Run.Id}";
            Open[context.Run.OperationId] = context.Vms.Count;
            return Task.FromResult<ScheduledRunOutcome?>(null);
        }

        public Task<ScheduledRunOutcome?> AdvanceAsync(ScheduledRunContext context, CancellationToken ct)
        {
            if (!Immediate || !Open.TryRemove(context.Run.OperationId!, out var count)) return Task.FromResult<ScheduledRunOutcome?>(null);
            return Task.FromResult<ScheduledRunOutcome?>(new ScheduledRunOutcome(
                [.. Enumerable.Range(0, count).Select(i => new ScheduledRunVmResult(101 + i, $"web-0{i + 1}", "prod", ScheduledRunStatus.Success, "ok"))]));
        }
    }

    private static InventoryHub Inventory()
    {
        var hub = new InventoryHub();
        GuestResource G(int id, string name) => new(id, name, "proxmox-01", GuestType.Qemu, "running", 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, ["env-prod"], null, null, null);
        hub.Publish(new InventorySnapshot("prod", T0, new ClusterInfo("c", true, 1, []), new ClusterResources([G(101, "web-01"), G(102, "web-02")], [], []), [], null));
        return hub;
    }

    private static SchedulerEngine Engine(PersistenceHost host, IScheduledRunExecutor executor, InventoryHub hub, TimeProvider clock, string instance, TimeSpan? grace = null) =>
        new(host.Get<IMoxxieDbFactory>(), executor, hub, host.Get<IAuditLog>(), clock,
            Options.Create(new SchedulerOptions { InstanceName = instance, GraceWindow = grace ?? TimeSpan.FromMinutes(5) }));

    private static async Task<string> CreateJobAsync(PersistenceHost host, SchedulerEngine engine, InventoryHub hub, TimeProvider clock, string cron, CancellationToken ct)
    {
        var service = new ScheduledJobService(host.Get<IMoxxieDbFactory>(), engine, hub, host.Get<IAuditLog>(), clock);
        var job = await service.CreateAsync(Operator, new ScheduledJobInput("nightly", null, "power_on", cron, "UTC", true, null,
            [new JobSelector("TAG_EXPRESSION", "env-prod")]), ct);
        return job.Id;
    }

    private static async Task<List<ScheduledJobRun>> RunsAsync(PersistenceHost host, CancellationToken ct)
    {
        await using var db = await host.Get<IMoxxieDbFactory>().CreateAsync(ct);
        return await db.ScheduledJobRuns.AsNoTracking().OrderBy(r => r.FireTime).ThenBy(r => r.Id).ToListAsync(ct);
    }

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task A_due_fire_time_runs_once_and_its_outcome_is_recorded(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock(T0);
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var hub = Inventory();
        var executor = new FakeExecutor();
        var engine = Engine(host, executor, hub, clock, "a");
        await CreateJobAsync(host, engine, hub, clock, "0 0/10 * * * ?", ct);

        Assert.Equal(0, await engine.TickAsync(ct));                  // 10:00:30: next fire time 10:10
        clock.Now = new DateTimeOffset(2026, 12, 7, 10, 10, 1, TimeSpan.Zero);
        Assert.Equal(1, await engine.TickAsync(ct));
        Assert.Equal(0, await engine.TickAsync(ct));                  // same fire time: not again

        var run = Assert.Single(await RunsAsync(host, ct));
        Assert.Equal((new DateTimeOffset(2026, 12, 7, 10, 10, 0, TimeSpan.Zero), ScheduledRunStatus.Success, 2, 2, "op-" + run.Id),
            (run.FireTime, run.Status, run.AffectedVms, run.Succeeded, run.OperationId));
        Assert.Equal(2, Assert.Single(executor.Started).Vms);
        var audit = await host.Get<IAuditLog>().RecentAsync(10, ct);
        Assert.Contains(audit, a => a.Operation == SchedulerEngine.RunOperation && a.User == "system" && a.Success);
    }

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Fire_times_missed_while_down_are_recorded_and_the_one_inside_the_grace_window_runs_once(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock(T0);
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var hub = Inventory();
        var executor = new FakeExecutor();
        var engine = Engine(host, executor, hub, clock, "a", grace: TimeSpan.FromMinutes(5));
        await CreateJobAsync(host, engine, hub, clock, "0 0/10 * * * ?", ct);

        // Down from 10:00:30 to 12:03: fire times 10:10 … 12:00. 12:00 is inside the 5-minute grace window.
        clock.Now = new DateTimeOffset(2026, 12, 7, 12, 3, 0, TimeSpan.Zero);
        Assert.Equal(1, await engine.TickAsync(ct));
        var runs = await RunsAsync(host, ct);
        Assert.Equal(2, runs.Count);
        Assert.Equal((ScheduledRunStatus.Missed, new DateTimeOffset(2026, 12, 7, 11, 50, 0, TimeSpan.Zero)), (runs[0].Status, runs[0].FireTime));
        Assert.StartsWith("11 fire time(s) missed from 2026-12-07 10:10:00Z to 2026-12-07 11:50:00Z", runs[0].Message, StringComparison.Ordinal);
        Assert.Equal((ScheduledRunStatus.Success, new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)), (runs[1].Status, runs[1].FireTime));

        clock.Now = new DateTimeOffset(2026, 12, 7, 12, 34, 0, TimeSpan.Zero);   // 12:10, 12:20 missed; 12:30 within 5 min → runs
        Assert.Equal(1, await engine.TickAsync(ct));
        runs = await RunsAsync(host, ct);
        Assert.Equal([ScheduledRunStatus.Missed, ScheduledRunStatus.Success, ScheduledRunStatus.Missed, ScheduledRunStatus.Success], runs.Select(r => r.Status));
        Assert.StartsWith("2 fire time(s) missed", runs[2].Message, StringComparison.Ordinal);

        // All outside the window: recorded, nothing runs.
        clock.Now = new DateTimeOffset(2026, 12, 7, 12, 56, 0, TimeSpan.Zero);   // 12:40, 12:50; 12:50 is 6 minutes old
        Assert.Equal(0, await engine.TickAsync(ct));
        runs = await RunsAsync(host, ct);
        Assert.Equal(ScheduledRunStatus.Missed, runs[^1].Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 12, 50, 0, TimeSpan.Zero), runs[^1].FireTime);
        Assert.Equal([new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 12, 30, 0, TimeSpan.Zero)],
            executor.Started.Select(s => s.FireTime).Order());
    }

    [Theory]
    [InlineData(DbProvider.Postgres)]
    public async Task Several_fire_times_inside_the_grace_window_run_once(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock(T0);
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var hub = Inventory();
        var executor = new FakeExecutor();
        var engine = Engine(host, executor, hub, clock, "a", grace: TimeSpan.FromHours(1));
        await CreateJobAsync(host, engine, hub, clock, "0 0/10 * * * ?", ct);

        clock.Now = new DateTimeOffset(2026, 12, 7, 10, 35, 0, TimeSpan.Zero);   // 10:10, 10:20, 10:30
        Assert.Equal(1, await engine.TickAsync(ct));
        var run = Assert.Single(await RunsAsync(host, ct));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.Zero), run.FireTime);
        Assert.Equal("Ran once for 3 fire times that fell inside the grace window.", run.Message);
    }

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task A_run_never_overlaps_the_previous_one(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock(T0);
        await using var host = await PersistenceHost.StartAsync(provider, clock, ct);
        var hub = Inventory();
        var executor = new FakeExecutor { Immediate = false };
        var engine = Engine(host, executor, hub, clock, "a");
        var jobId = await CreateJobAsync(host, engine, hub, clock, "0 0/10 * * * ?", ct);
        var service = new ScheduledJobService(host.Get<IMoxxieDbFactory>(), engine, hub, host.Get<IAuditLog>(), clock);

        clock.Now = new DateTimeOffset(2026, 12, 7, 10, 10, 0, TimeSpan.Zero);
        Assert.Equal(1, await engine.TickAsync(ct));                              // 10:10 runs and keeps running
        await Assert.ThrowsAsync<SchedulerConflictException>(() => service.RunNowAsync(Operator, jobId, ct));
        clock.Now = new DateTimeOffset(2026, 12, 7, 10, 20, 0, TimeSpan.Zero);
        Assert.Equal(0, await engine.TickAsync(ct));                              // 10:20 skipped
        var runs = await RunsAsync(host, ct);
        Assert.Equal([ScheduledRunStatus.Running, ScheduledRunStatus.Skipped], runs.Select(r => r.Status));
        Assert.Equal("Skipped: the previous run of this job was still running.", runs[1].Message);

        executor.Immediate = true;                                                // 10:10 ends
        clock.Now = new DateTimeOffset(2026, 12, 7, 10, 25, 0, TimeSpan.Zero);
        await engine.TickAsync(ct);
        clock.Now = new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.Zero);
        Assert.Equal(1, await engine.TickAsync(ct));                              // 10:30 runs
        runs = await RunsAsync(host, ct);
        Assert.Equal([ScheduledRunStatus.Success, ScheduledRunStatus.Skipped, ScheduledRunStatus.Success], runs.Select(r => r.Status));

        var manual = await service.RunNowAsync(Operator, jobId, ct);              // nothing running now
        Assert.Equal(ScheduledRunTrigger.Manual, manual.Trigger);
        await engine.TickAsync(ct);
        var history = await service.HistoryAsync(jobId, 10, ct);
        Assert.Equal(ScheduledRunStatus.Success, history[0].Status);
        Assert.Equal([101, 102], history[0].AffectedVms);
        var view = await service.GetAsync(jobId, ct);
        Assert.Equal((3, 3, 0), (view.Statistics.TotalRuns, view.Statistics.SuccessfulRuns, view.Statistics.FailedRuns));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 40, 0, TimeSpan.Zero), view.NextRun);
        Assert.Equal("Every 10 minutes", view.Schedule);
    }

    [Fact]
    public async Task Two_instances_on_one_postgresql_run_each_fire_time_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock(T0);
        await using var first = await PersistenceHost.StartAsync(DbProvider.Postgres, clock, ct);
        await using var second = await PersistenceHost.AttachAsync(first.Database, ct);
        var hub = Inventory();
        var (ea, eb) = (new FakeExecutor(), new FakeExecutor());
        var a = Engine(first, ea, hub, clock, "instance-a");
        var b = Engine(second, eb, hub, clock, "instance-b");
        await CreateJobAsync(first, a, hub, clock, "0 * * * * ?", ct);

        const int Minutes = 40;
        for (var i = 1; i <= Minutes; i++)
        {
            clock.Now = T0.AddMinutes(i);
            // Both instances tick at the same moment, many times (as their timers would), racing for the same fire time.
            await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[] { Task.Run(() => a.TickAsync(ct), ct), Task.Run(() => b.TickAsync(ct), ct) }));
        }

        var fireTimes = ea.Started.Concat(eb.Started).Select(s => s.FireTime).ToList();
        Assert.Equal(Minutes, fireTimes.Count);
        Assert.Equal(Minutes, fireTimes.Distinct().Count());
        var runs = await RunsAsync(first, ct);
        Assert.Equal(Minutes, runs.Count(r => r.Status is ScheduledRunStatus.Success or ScheduledRunStatus.Running));
        Assert.DoesNotContain(runs, r => r.Status is ScheduledRunStatus.Skipped or ScheduledRunStatus.Missed);
        TestContext.Current.SendDiagnosticMessage($"[scheduler] two instances, {Minutes} fire times: instance-a ran {ea.Started.Count}, instance-b ran {eb.Started.Count}");
    }
}
