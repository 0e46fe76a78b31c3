using System.Collections.Concurrent;
using Moxxie.Core.Inventory;
using Moxxie.Tests.Integration.Proxmox;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Inventory;

public sealed class InventoryHubTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Publish_FansOutToEverySubscriber_AndKeepsTheLatestSnapshot()
    {
        var hub = new InventoryHub();
        var a = new ConcurrentQueue<InventoryEvent>();
        var b = new ConcurrentQueue<InventoryEvent>();
        using var subA = hub.Subscribe(e => { a.Enqueue(e); return Task.CompletedTask; });
        using var subB = hub.Subscribe(e => { b.Enqueue(e); return Task.CompletedTask; });

        hub.Publish(Snapshot("prod", Guest(101, "web")));
        hub.Publish(Snapshot("prod", Guest(101, "web", "stopped")));

        await Eventually.HoldsAsync(() => a.Count == 2 && b.Count == 2, Deadline, "both subscribers to get both events");
        Assert.Equal("stopped", ((SnapshotUpdated)a.Last()).Snapshot.Resources.Guests[0].Status);
        Assert.Equal("stopped", hub.Get("prod")!.Resources.Guests[0].Status);
        Assert.Single(hub.Snapshots);
    }

    [Fact]
    public async Task DisposedSubscription_GetsNothingMore()
    {
        var hub = new InventoryHub();
        var seen = 0;
        var sub = hub.Subscribe(_ => { Interlocked.Increment(ref seen); return Task.CompletedTask; });
        hub.Publish(Snapshot("prod"));
        await Eventually.HoldsAsync(() => Volatile.Read(ref seen) == 1, Deadline, "the first event");

        sub.Dispose();
        hub.Publish(Snapshot("prod"));
        var probe = new TaskCompletionSource();
        using var other = hub.Subscribe(_ => { probe.TrySetResult(); return Task.CompletedTask; });
        hub.Publish(Snapshot("prod"));
        await probe.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.Equal(1, Volatile.Read(ref seen));
        Assert.Equal(1, hub.SubscriberCount);
    }

    [Fact]
    public async Task ThrowingAndBlockedSubscribers_NeverBlockPublishingOrOthers()
    {
        var hub = new InventoryHub();
        var release = new TaskCompletionSource();
        using var blocked = hub.Subscribe(_ => release.Task);
        using var throwing = hub.Subscribe(_ => throw new InvalidOperationException("boom"));
        var last = 0;
        using var healthy = hub.Subscribe(e =>
        {
            if (e is SnapshotUpdated s) Volatile.Write(ref last, s.Snapshot.Resources.Guests[0].VmId);
            return Task.CompletedTask;
        });

        for (var i = 1; i <= 2000; i++) hub.Publish(Snapshot("prod", Guest(i, "vm")));

        await Eventually.HoldsAsync(() => Volatile.Read(ref last) == 2000, Deadline, "the healthy subscriber to see the last event");
        release.SetResult();
    }

    [Fact]
    public async Task TrackedTasks_AreKeptNewestFirst_AndPublished()
    {
        var hub = new InventoryHub();
        var updates = new ConcurrentQueue<TrackedTask>();
        using var sub = hub.Subscribe(e => { if (e is TaskUpdated t) updates.Enqueue(t.Task); return Task.CompletedTask; });
        var older = new TrackedTask("prod", "proxmox-01", "UPID:a", "qmstart", "101", "olivia", T0, null, [], null);
        var newer = older with { Upid = "UPID:b", StartedAt = T0.AddSeconds(5) };

        hub.Publish(older);
        hub.Publish(newer);
        hub.Publish(older with { Percent = 50 });

        Assert.Equal(["UPID:b", "UPID:a"], hub.TrackedTasks.Select(t => t.Upid));
        Assert.Equal(50, hub.TrackedTasks[1].Percent);
        await Eventually.HoldsAsync(() => updates.Count == 3, Deadline, "three task updates");
    }

    [Fact]
    public void FinishedTrackedTasks_AreTrimmed_RunningOnesKept()
    {
        var hub = new InventoryHub();
        var running = new TrackedTask("prod", "n", "UPID:running", "qmstart", "1", "u", T0, null, [], null);
        hub.Publish(running);
        for (var i = 0; i < InventoryHub.MaxTrackedTasks + 50; i++)
            hub.Publish(running with { Upid = $"UPID:{i}", StartedAt = T0.AddSeconds(i + 1), Status = PveTaskAt($"UPID:{i}", T0) });

        Assert.True(hub.TrackedTasks.Count <= InventoryHub.MaxTrackedTasks);
        Assert.Contains(hub.TrackedTasks, t => t.Upid == "UPID:running");
        Assert.Contains(hub.TrackedTasks, t => t.Upid == $"UPID:{InventoryHub.MaxTrackedTasks + 49}");
    }

    [Fact]
    public async Task Remove_DropsTheSnapshot_AndTellsSubscribers()
    {
        var hub = new InventoryHub();
        var removed = new TaskCompletionSource<string>();
        using var sub = hub.Subscribe(e => { if (e is ConnectionRemoved r) removed.TrySetResult(r.Connection); return Task.CompletedTask; });
        hub.Publish(Snapshot("lab"));

        hub.Remove("lab");

        Assert.Null(hub.Get("lab"));
        Assert.Equal("lab", await removed.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken));
    }
}
