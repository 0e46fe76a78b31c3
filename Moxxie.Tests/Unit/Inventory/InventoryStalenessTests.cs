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

/// <summary>A PVE that accepts the connection but never answers must still turn the connection stale after StaleAfter
/// (the client's own timeout is 20 s); the snapshot keeps the last good data and its time, and carries guest metrics.</summary>
public sealed class InventoryStalenessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task HangingPve_IsReportedStale_AfterStaleAfter_AndFreshAgainOnTheNextAnswer()
    {
        var clock = new ManualClock();
        var hub = new InventoryHub();
        var hang = false;
        var netIn = 0L;
        var gateway = new Mock<IProxmoxGateway>();
        gateway.Setup(g => g.GetClusterStatusAsync(It.IsAny<CancellationToken>()))
            .Returns(async (CancellationToken ct) =>
            {
                while (Volatile.Read(ref hang)) await Task.Delay(10, ct);
                return new ClusterInfo("c", true, 1, []);
            });
        gateway.Setup(g => g.GetResourcesAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new ClusterResources([Guest(101, "web") with { NetIn = Interlocked.Add(ref netIn, 3_000) }], [], []));
        gateway.Setup(g => g.GetClusterTasksAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var connections = new Mock<IProxmoxConnections>();
        connections.Setup(c => c.All).Returns([new ConnectionInfo("prod", new Uri("https://pve:8006"), "root@pam!m", null, false, ConnectionSource.Configuration)]);
        connections.Setup(c => c.Get("prod")).Returns(gateway.Object);
        var options = new InventoryOptions { PollInterval = TimeSpan.FromSeconds(3), StaleAfter = TimeSpan.FromSeconds(5) };
        var refresher = new InventoryRefresher(connections.Object, hub, Options.Create(options), clock, NullLogger<InventoryRefresher>.Instance);

        await refresher.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await Eventually.HoldsAsync(() => hub.Get("prod") is { Loaded: true }, Deadline, "the initial poll");
            var good = hub.Get("prod")!;
            Assert.False(good.Stale);
            Assert.Single(good.MetricsOf(101).CpuHistory);

            await Eventually.HoldsAsync(() => clock.ActiveTimers >= 2, Deadline, "the timers to be armed");
            clock.Advance(TimeSpan.FromSeconds(3));
            await Eventually.HoldsAsync(() => hub.Get("prod")!.MetricsOf(101).CpuHistory.Count == 2, Deadline, "the second poll");
            Assert.Equal(1_000, hub.Get("prod")!.MetricsOf(101).NetInRate);   // 3,000 bytes in 3 s
            var lastGood = hub.Get("prod")!.At;

            Volatile.Write(ref hang, true);
            for (var i = 0; i < 4; i++) clock.Advance(TimeSpan.FromSeconds(1));   // 4 s after the last good refresh: not stale yet
            await Task.Yield();
            Assert.False(hub.Get("prod")!.Stale);
            for (var i = 0; i < 2; i++) clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.HoldsAsync(() => hub.Get("prod")!.Stale, Deadline, "the stale report");
            var stale = hub.Get("prod")!;
            Assert.Equal(lastGood, stale.LastGoodAt);
            Assert.Contains("has not answered", stale.Error);
            Assert.Equal("web", stale.Resources.Guests[0].Name);

            Volatile.Write(ref hang, false);
            await Eventually.HoldsAsync(() => !hub.Get("prod")!.Stale, Deadline, "recovery on the pending poll's answer");
        }
        finally
        {
            await refresher.StopAsync(CancellationToken.None);
        }
    }
}
