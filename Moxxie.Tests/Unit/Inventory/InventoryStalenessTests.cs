using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Inventory;
using Moxxie.Tests.Integration.Proxmox;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Inventory;

/// <summary>A PVE that accepts the connection but never answers must still turn the connection stale after StaleAfter
/// (the client's own timeout is 20 s); the snapshot keeps the last good data and its time, and carries guest metrics.</summary>
public sealed class InventoryStalenessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task HangingPve_IsReportedStale_AfterStaleAfter_AndFreshAgainOnTheNextAnswer()
    {
        var hang = false;
        var netIn = 0L;
        await using var rig = await RefresherRig.StartAsync(new InventoryOptions { PollInterval = TimeSpan.FromSeconds(3), StaleAfter = TimeSpan.FromSeconds(5) },
            async ct =>
            {
                while (Volatile.Read(ref hang)) await Task.Delay(10, ct);
                return new ClusterInfo("c", true, 1, []);
            },
            () => new ClusterResources([Guest(101, "web") with { NetIn = Interlocked.Add(ref netIn, 3_000) }], [], []));
        var clock = rig.Clock;

        await Eventually.HoldsAsync(() => rig.Hub.Get("prod") is { Loaded: true }, Deadline, "the initial poll");
        var good = rig.Snapshot;
        Assert.False(good.Stale);
        Assert.Single(good.MetricsOf(101).CpuHistory);

        await Eventually.HoldsAsync(() => clock.ActiveTimers >= 2, Deadline, "the timers to be armed");
        clock.Advance(TimeSpan.FromSeconds(3));
        await Eventually.HoldsAsync(() => rig.Snapshot.MetricsOf(101).CpuHistory.Count == 2, Deadline, "the second poll");
        Assert.Equal(1_000, rig.Snapshot.MetricsOf(101).NetInRate);   // 3,000 bytes in 3 s
        var lastGood = rig.Snapshot.At;

        Volatile.Write(ref hang, true);
        for (var i = 0; i < 4; i++) clock.Advance(TimeSpan.FromSeconds(1));   // 4 s after the last good refresh: not stale yet
        await Task.Yield();
        Assert.False(rig.Snapshot.Stale);
        for (var i = 0; i < 2; i++) clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => rig.Snapshot.Stale, Deadline, "the stale report");
        var stale = rig.Snapshot;
        Assert.Equal(lastGood, stale.LastGoodAt);
        Assert.Contains("has not answered", stale.Error);
        Assert.Equal("web", stale.Resources.Guests[0].Name);

        Volatile.Write(ref hang, false);
        await Eventually.HoldsAsync(() => !rig.Snapshot.Stale, Deadline, "recovery on the pending poll's answer");
    }
}
