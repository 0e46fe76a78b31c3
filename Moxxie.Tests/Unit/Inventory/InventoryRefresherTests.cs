using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Inventory;
using Moxxie.Tests.Integration.Proxmox;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Inventory;

/// <summary>The refresher's loop on a manual clock: it polls on each tick, and keeps the last good state when PVE fails.</summary>
public sealed class InventoryRefresherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PollsEveryTick_AndKeepsTheLastGoodStateOnFailure()
    {
        var clock = new ManualClock();
        var hub = new InventoryHub();
        var gateway = new Mock<IProxmoxGateway>();
        var status = "stopped";
        var fail = false;
        var polls = 0;
        gateway.Setup(g => g.GetClusterStatusAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => fail ? throw new ProxmoxException("prod", null, "Cannot reach pve:8006: refused.") : new ClusterInfo("c", true, 1, []));
        gateway.Setup(g => g.GetResourcesAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => { Interlocked.Increment(ref polls); return new ClusterResources([Guest(101, "web", status)], [], []); });
        gateway.Setup(g => g.GetClusterTasksAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var connections = new Mock<IProxmoxConnections>();
        connections.Setup(c => c.All).Returns([new ConnectionInfo("prod", new Uri("https://pve:8006"), "root@pam!m", null, false, ConnectionSource.Configuration)]);
        connections.Setup(c => c.Get("prod")).Returns(gateway.Object);
        var refresher = new InventoryRefresher(connections.Object, hub, Options.Create(new InventoryOptions { PollInterval = TimeSpan.FromSeconds(2) }),
            clock, NullLogger<InventoryRefresher>.Instance);

        await refresher.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await Eventually.HoldsAsync(() => hub.Get("prod") is { Loaded: true }, Deadline, "the initial poll");
            Assert.Equal("stopped", hub.Get("prod")!.Resources.Guests[0].Status);

            status = "running";
            await Eventually.HoldsAsync(() => clock.ActiveTimers > 0, Deadline, "the timer to be armed");
            Assert.Equal("stopped", hub.Get("prod")!.Resources.Guests[0].Status); // nothing happens before the tick
            clock.Advance(TimeSpan.FromSeconds(2));
            await Eventually.HoldsAsync(() => hub.Get("prod")!.Resources.Guests[0].Status == "running", Deadline, "the tick's poll");

            fail = true;
            clock.Advance(TimeSpan.FromSeconds(2));
            await Eventually.HoldsAsync(() => hub.Get("prod")!.Error is not null, Deadline, "the error");
            var snapshot = hub.Get("prod")!;
            Assert.Equal("Cannot reach pve:8006: refused.", snapshot.Error);
            Assert.Equal("running", snapshot.Resources.Guests[0].Status);

            fail = false;
            refresher.RequestRefresh("prod"); // e.g. a tracked task ended: no need to wait for the tick
            await Eventually.HoldsAsync(() => hub.Get("prod")!.Error is null, Deadline, "recovery");
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }
}
