using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Inventory;
using Moxxie.Tests.Integration.Proxmox;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Inventory;

/// <summary>The refresher's loop on a manual clock: it polls on each tick, and keeps the last good state when PVE fails.</summary>
public sealed class InventoryRefresherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PollsEveryTick_KeepsTheLastGoodStateOnFailure_AndRefreshesOnDemandAfterTheGap()
    {
        var status = "stopped";
        var fail = false;
        await using var rig = await RefresherRig.StartAsync(new InventoryOptions { PollInterval = TimeSpan.FromSeconds(2) },
            _ => fail ? throw new ProxmoxException("prod", null, "Cannot reach pve:8006: refused.") : Task.FromResult(new ClusterInfo("c", true, 1, [])),
            () => new ClusterResources([Guest(101, "web", status)], [], []));

        await Eventually.HoldsAsync(() => rig.Hub.Get("prod") is { Loaded: true }, Deadline, "the initial poll");
        Assert.Equal("stopped", rig.Snapshot.Resources.Guests[0].Status);

        status = "running";
        await Eventually.HoldsAsync(() => rig.Clock.ActiveTimers > 0, Deadline, "the timer to be armed");
        Assert.Equal("stopped", rig.Snapshot.Resources.Guests[0].Status); // nothing happens before the tick
        rig.Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.HoldsAsync(() => rig.Snapshot.Resources.Guests[0].Status == "running", Deadline, "the tick's poll");

        fail = true;
        rig.Clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.HoldsAsync(() => rig.Snapshot.Error is not null, Deadline, "the error");
        var snapshot = rig.Snapshot;
        Assert.Equal("Cannot reach pve:8006: refused.", snapshot.Error);
        Assert.Equal("running", snapshot.Resources.Guests[0].Status);

        fail = false;
        var armed = rig.Clock.ActiveTimers;
        rig.Refresher.RequestRefresh("prod"); // e.g. a tracked task ended: no need to wait for the 2 s tick …
        // … only for RefreshMinGap (1 s) after the last poll, so a burst of task ends does not poll back-to-back
        await Eventually.HoldsAsync(() => rig.Clock.ActiveTimers > armed, Deadline, "the on-demand refresh to wait for the gap");
        Assert.NotNull(rig.Snapshot.Error);
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => rig.Snapshot.Error is null, Deadline, "recovery");
    }
}
