using Moq;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Tests.Unit.Support;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Inventory;

public sealed class DashboardServiceTests
{
    private static StorageResource Storage(string name, string node, long used, long total, bool shared = false) =>
        new(name, node, "available", used, total, ["images"], shared, "dir");

    private static NodeResource Node(string name, string status = "online") =>
        new(name, status, 0.2, 16, 8L << 30, 64L << 30, 10L << 30, 100L << 30, 1000, null);

    private static (DashboardService Service, InventoryHub Hub) Create(DateTimeOffset now) => Create(new ManualClock(now), new DashboardViewCache());

    private static (DashboardService Service, InventoryHub Hub) Create(ManualClock clock, DashboardViewCache cache, InventoryHub? hub = null)
    {
        hub ??= new InventoryHub();
        var connections = new Mock<IProxmoxConnections>();
        connections.Setup(c => c.All).Returns([new ConnectionInfo("prod", new Uri("https://pve:8006"), null, null, false, ConnectionSource.Configuration)]);
        return (new DashboardService(hub, connections.Object, clock, cache), hub);
    }

    [Fact]
    public void One_view_is_shared_by_every_dashboard_until_the_inventory_changes_or_it_ages()
    {
        var clock = new ManualClock(T0.AddHours(30));
        var cache = new DashboardViewCache();
        var (first, hub) = Create(clock, cache);
        var (second, _) = Create(clock, cache, hub);   // another browser's scope, same singleton cache
        var failedAt = clock.GetUtcNow().AddHours(-24).AddSeconds(10);
        var cluster = new ClusterInfo("c", true, 2, [new("proxmox-01", true, "10.0.0.1", false, 1, null), new("proxmox-02", true, "10.0.0.2", false, 2, null)]);
        hub.Publish(new InventorySnapshot("prod", clock.GetUtcNow(), cluster,
            new ClusterResources([Guest(101, "web")], [Node("proxmox-01"), Node("proxmox-02")], []),
            [PveTaskAt(Upid(1, failedAt), failedAt, exit: "VM 101 already running")], null));

        var view = first.Get();
        Assert.Same(view, second.Get());
        Assert.Same(view.NodesOf("prod"), second.Get().NodesOf("prod"));
        Assert.Equal(["proxmox-01", "proxmox-02"], view.NodesOf("prod").Select(n => n.Name));
        Assert.Empty(view.NodesOf("other"));
        Assert.Single(view.Alerts, a => a.Kind == AlertKind.TaskFailed);

        // 20 s later the failure is older than 24 h, but the view is only 20 s old: still the same view.
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Same(view, second.Get());

        // Past MaxAge the view is rebuilt, so the 24-hour window moves on although nothing was polled.
        clock.Advance(DashboardViewCache.MaxAge);
        var aged = first.Get();
        Assert.NotSame(view, aged);
        Assert.DoesNotContain(aged.Alerts, a => a.Kind == AlertKind.TaskFailed);

        // A new snapshot (the next poll) is a new view at once.
        hub.Publish(Snapshot("prod", Guest(101, "web"), Guest(102, "db")));
        var polled = second.Get();
        Assert.NotSame(aged, polled);
        Assert.Same(polled, first.Get());
    }

    [Fact]
    public void Alerts_NameOfflineNodes_FullStorage_AndFailuresOfTheLastDay()
    {
        var now = T0.AddHours(30);
        var (service, hub) = Create(now);
        var cluster = new ClusterInfo("production-cluster", true, 3,
            [new("proxmox-01", true, "192.168.1.10", false, 1, null), new("proxmox-02", false, "192.168.1.11", false, 2, null)]);
        hub.Publish(new InventorySnapshot("prod", now, cluster,
            new ClusterResources([Guest(101, "web"), Guest(105, "db")], [Node("proxmox-01"), Node("proxmox-02", "offline")],
                [
                    Storage("local", "proxmox-01", 50, 100),
                    Storage("local-lvm", "proxmox-01", 85, 100),
                    Storage("local-zfs", "proxmox-01", 95, 100),
                    Storage("backup-nas", "proxmox-01", 81, 100, shared: true),
                    Storage("backup-nas", "proxmox-02", 81, 100, shared: true),
                ]),
            [
                PveTaskAt(Upid(1, now.AddHours(-1)), now.AddHours(-1), exit: "VM 101 already running"),
                PveTaskAt(Upid(2, now.AddHours(-2), "vzdump", "105"), now.AddHours(-2), exit: "job errors") with { Type = "vzdump", Id = "105" },
                PveTaskAt(Upid(3, now.AddHours(-25)), now.AddHours(-25), exit: "old failure"),
                PveTaskAt(Upid(4, now.AddHours(-1)), now.AddHours(-1)),
            ], null));

        var view = service.Get();

        var node = Assert.Single(view.Alerts, a => a.Kind == AlertKind.NodeOffline);
        Assert.Equal(("proxmox-02", AlertSeverity.Critical), (node.Subject, node.Severity));
        var storage = view.Alerts.Where(a => a.Kind == AlertKind.StorageFull).ToDictionary(a => a.Subject);
        Assert.Equal(["backup-nas", "local-lvm", "local-zfs"], storage.Keys.Order());   // shared storage once, 50 % none
        Assert.Equal(AlertSeverity.Warning, storage["local-lvm"].Severity);
        Assert.Equal(AlertSeverity.Critical, storage["local-zfs"].Severity);
        Assert.Equal("95 % used", storage["local-zfs"].Message);
        var task = Assert.Single(view.Alerts, a => a.Kind == AlertKind.TaskFailed);
        Assert.Equal("VM 101 already running", task.Message);
        var backup = Assert.Single(view.Alerts, a => a.Kind == AlertKind.BackupFailed);
        Assert.Equal("vzdump 105", backup.Subject);
        Assert.Equal((105, "db", Upid(2, now.AddHours(-2), "vzdump", "105")), (backup.VmId, backup.VmName, backup.Upid));   // the VM it was of, by name
        Assert.Null(task.VmId);   // only a backup names its VM
        Assert.Equal(AlertSeverity.Critical, view.Alerts[0].Severity);   // critical first

        Assert.Equal([("proxmox-01", true), ("proxmox-02", false)], view.Nodes.Select(n => (n.Name, n.Online)));
        Assert.Empty(view.Stale);
    }

    [Fact]
    public void UnreachableConnection_IsStale_WithTheTimeOfTheLastGoodRefresh()
    {
        var now = T0.AddMinutes(5);
        var (service, hub) = Create(now);
        hub.Publish(Snapshot("prod", Guest(101, "web")) with { Error = "Cannot reach pve:8006: refused.", CheckedAt = now });

        var view = service.Get();

        var stale = Assert.Single(view.Stale);
        Assert.Equal(("prod", "Cannot reach pve:8006: refused.", (DateTimeOffset?)T0), (stale.Connection, stale.Error, stale.LastGoodAt));
        var alert = Assert.Single(view.Alerts, a => a.Kind == AlertKind.ConnectionUnreachable);
        Assert.Equal(now, alert.At);
        Assert.False(view.Clusters[0].Reachable);
    }
}
