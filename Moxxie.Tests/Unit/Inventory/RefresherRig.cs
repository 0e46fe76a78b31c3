using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Inventory;
using Moxxie.Tests.Unit.Support;

namespace Moxxie.Tests.Unit.Inventory;

/// <summary>An <see cref="InventoryRefresher"/> for one connection "prod" on a <see cref="ManualClock"/>, over a mocked
/// gateway whose cluster status and resources the test supplies (no tasks); started on creation, stopped on dispose.</summary>
internal sealed class RefresherRig : IAsyncDisposable
{
    public const string Connection = "prod";

    private RefresherRig(ManualClock clock, InventoryHub hub, InventoryRefresher refresher)
    {
        Clock = clock;
        Hub = hub;
        Refresher = refresher;
    }

    public ManualClock Clock { get; }
    public InventoryHub Hub { get; }
    public InventoryRefresher Refresher { get; }

    /// <summary>The connection's latest snapshot (after the initial poll).</summary>
    public InventorySnapshot Snapshot => Hub.Get(Connection)!;

    public static async Task<RefresherRig> StartAsync(InventoryOptions options, Func<CancellationToken, Task<ClusterInfo>> status, Func<ClusterResources> resources)
    {
        var gateway = new Mock<IProxmoxGateway>();
        gateway.Setup(g => g.GetClusterStatusAsync(It.IsAny<CancellationToken>())).Returns(status);
        gateway.Setup(g => g.GetResourcesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(resources);
        gateway.Setup(g => g.GetClusterTasksAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var connections = new Mock<IProxmoxConnections>();
        connections.Setup(c => c.All).Returns([new ConnectionInfo(Connection, new Uri("https://pve:8006"), "root@pam!m", null, false, ConnectionSource.Configuration)]);
        connections.Setup(c => c.Get(Connection)).Returns(gateway.Object);
        var clock = new ManualClock();
        var hub = new InventoryHub();
        var rig = new RefresherRig(clock, hub, new InventoryRefresher(connections.Object, hub, Options.Create(options), clock, NullLogger<InventoryRefresher>.Instance));
        await rig.Refresher.StartAsync(Xunit.TestContext.Current.CancellationToken);
        return rig;
    }

    public async ValueTask DisposeAsync() => await Refresher.StopAsync(CancellationToken.None);
}
