using Moq;
using Moxxie.Core.Clusters;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Clusters;

public sealed class ClusterServiceTests
{
    [Fact]
    public void Overview_CountsGuestsAndSumsCapacity_SharedStorageOnce()
    {
        var hub = new InventoryHub();
        hub.Publish(Snapshot("prod",
            [Guest(101, "a"), Guest(102, "b", "stopped"), Guest(103, "c", "paused"), Guest(9000, "t", "stopped", template: true)],
            nodes:
            [
                new NodeResource("proxmox-01", "online", 0.5, 8, 10, 100, 0, 0, 1, null),
                new NodeResource("proxmox-02", "online", 0.25, 8, 30, 100, 0, 0, 1, null),
            ],
            storage:
            [
                new StorageResource("backup-nas", "proxmox-01", "available", 100, 1000, ["backup"], true, "nfs"),
                new StorageResource("backup-nas", "proxmox-02", "available", 100, 1000, ["backup"], true, "nfs"),
                new StorageResource("local", "proxmox-01", "available", 5, 50, ["iso"], false, "dir"),
                new StorageResource("local", "proxmox-02", "available", 7, 50, ["iso"], false, "dir"),
            ]));
        var connections = new Mock<IProxmoxConnections>();
        connections.Setup(c => c.All).Returns([new ConnectionInfo("prod", new Uri("https://pve:8006"), "root@pam!m", null, true, ConnectionSource.Configuration),
            new ConnectionInfo("lab", new Uri("https://lab:8006"), "root@pam!m", null, true, ConnectionSource.Database)]);

        var overviews = new ClusterService(hub, connections.Object).Overviews();

        var prod = overviews[0];
        Assert.Equal(("production-cluster", true, 2, 2), (prod.ClusterName, prod.Quorate, prod.NodesOnline, prod.NodesTotal));
        Assert.Equal((1, 1, 1, 1), (prod.Running, prod.Stopped, prod.Paused, prod.Templates));
        Assert.Equal(0.375, prod.CpuUsage, 6);
        Assert.Equal((40L, 200L), (prod.MemUsed, prod.MemTotal));
        Assert.Equal((112L, 1100L), (prod.StorageUsed, prod.StorageTotal));
        Assert.True(prod.Reachable);
        var lab = overviews[1];
        Assert.False(lab.Reachable);
        Assert.Equal("Not loaded yet", lab.Error);
    }
}
