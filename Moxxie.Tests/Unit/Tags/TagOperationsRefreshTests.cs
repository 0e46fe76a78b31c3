using Moq;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Tags;
using Moxxie.Core.Vms;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Tags;

/// <summary>PUT …/config starts no PVE task, so after a tag write TagOperationsService asks the touched connection's
/// inventory to refresh at once (through Core's IInventoryRefreshSignal port), and only when something changed.</summary>
public sealed class TagOperationsRefreshTests
{
    private static readonly Actor Operator = new("op", [MoxxieRoles.Operator], null);
    private readonly Dictionary<int, string> _pveTags = new() { [101] = "env-prod", [102] = "env-dev" };
    private readonly Mock<IInventoryRefreshSignal> _refresh = new();

    private TagOperationsService Service()
    {
        var hub = new InventoryHub();
        hub.Publish(Snapshot("c1", Guest(101, "web-01", tags: ["env-prod"]), Guest(102, "db-01", tags: ["env-dev"])));
        hub.Publish(Snapshot("c2", Guest(301, "other-01", tags: ["env-prod"])));
        var gateway = new Mock<IProxmoxGateway>();
        gateway.Setup(g => g.GetGuestConfigDetailAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<GuestType>(), false, It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, int vmid, GuestType type, bool _, CancellationToken _) =>
                GuestConfig.Parse(vmid, type, new Dictionary<string, string> { ["tags"] = _pveTags[vmid], ["digest"] = "d" + vmid }));
        gateway.Setup(g => g.UpdateGuestConfigAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<GuestType>(), It.IsAny<GuestConfigUpdate>(), It.IsAny<CancellationToken>()))
            .Callback((string _, int vmid, GuestType _, GuestConfigUpdate u, CancellationToken _) => _pveTags[vmid] = string.Join(';', u.Tags ?? []))
            .Returns(Task.CompletedTask);
        var connections = new Mock<IProxmoxConnections>();
        connections.Setup(c => c.Get("c1")).Returns(gateway.Object);
        var audit = new Mock<IAuditLog>();
        var vms = new VmService(hub, connections.Object, Mock.Of<ITaskTracker>(), audit.Object, TimeProvider.System);
        var catalog = new TagCatalogService(Mock.Of<IMoxxieDbFactory>(), new TagService(hub), audit.Object, TimeProvider.System);
        return new TagOperationsService(vms, connections.Object, audit.Object, TimeProvider.System, catalog, _refresh.Object);
    }

    [Fact]
    public async Task Bulk_add_asks_the_touched_connection_to_refresh_once()
    {
        var result = await Service().BulkAsync(Operator, new TagSelection(Connection: "c1", NamePattern: "*-01"), TagAction.Add, ["web-tier"], TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Modified);
        Assert.Equal("env-prod;web-tier", _pveTags[101]);
        _refresh.Verify(r => r.RequestRefresh("c1"), Times.Once);
        _refresh.Verify(r => r.RequestRefresh("c2"), Times.Never);
    }

    [Fact]
    public async Task A_write_that_changes_nothing_asks_for_no_refresh()
    {
        var result = await Service().BulkAsync(Operator, new TagSelection(VmIds: [101], Connection: "c1"), TagAction.Add, ["env-prod"], TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Modified);
        Assert.True(result.Results.Single().Success);
        _refresh.Verify(r => r.RequestRefresh(It.IsAny<string>()), Times.Never);
    }
}
