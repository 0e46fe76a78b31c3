using System.Globalization;
using Moxxie.Core.Clusters;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Inventory;

/// <summary>Dashboard figures and alerts from the inventory: cluster overviews, node cards, and alerts for unreachable
/// connections, offline nodes, storage above 80 % (warning) / 90 % (critical), and tasks and backups that failed in the
/// last 24 h.</summary>
public sealed class DashboardService(InventoryHub hub, IProxmoxConnections connections, TimeProvider time, DashboardViewCache cache)
{
    public const double StorageWarningAbove = 0.80;
    public const double StorageCriticalAbove = 0.90;
    public static readonly TimeSpan FailedTaskWindow = TimeSpan.FromHours(24);

    /// <summary>At most this many failed-task alerts (newest first) per connection.</summary>
    public const int MaxTaskAlerts = 10;

    /// <summary>The view of the current inventory: built once per inventory change and shared by every caller.</summary>
    public DashboardView Get()
    {
        var now = time.GetUtcNow();
        var snapshots = connections.All.Select(c => (c.Name, Snapshot: hub.Get(c.Name))).ToList();
        var all = hub.Snapshots;
        return cache.GetOrBuild(snapshots, all, now, () => Build(snapshots, all, now));
    }

    private static DashboardView Build(List<(string Name, InventorySnapshot? Snapshot)> snapshots, IReadOnlyList<InventorySnapshot> all, DateTimeOffset now) =>
        new(
            [.. snapshots.Select(s => ClusterService.Overview(s.Name, s.Snapshot))],
            [.. snapshots.Where(s => s.Snapshot is not null).SelectMany(s => Nodes(s.Snapshot!))],
            [.. snapshots.Where(s => s.Snapshot is not null).SelectMany(s => Alerts(s.Snapshot!, now))
                .OrderByDescending(a => a.Severity).ThenBy(a => a.Kind).ThenByDescending(a => a.At)],
            Stale(all));

    /// <summary>Connections whose inventory could not be refreshed (first poll failures included).</summary>
    public static IReadOnlyList<StaleConnection> Stale(IEnumerable<InventorySnapshot> snapshots) =>
        [.. snapshots.Where(s => s.Stale).Select(s => new StaleConnection(s.Connection, s.Error!, s.LastGoodAt))];

    /// <summary>Nodes of /cluster/status (corosync's online flag) joined with their /cluster/resources usage; a node only
    /// in resources (standalone) is listed too.</summary>
    public static IEnumerable<NodeCard> Nodes(InventorySnapshot snapshot)
    {
        var usage = snapshot.Resources.Nodes.ToDictionary(n => n.Node, StringComparer.Ordinal);
        var members = snapshot.Cluster?.Nodes ?? [];
        var names = members.Select(n => n.Name).Concat(usage.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var member = members.FirstOrDefault(n => n.Name == name);
            var r = usage.GetValueOrDefault(name);
            var online = (member?.Online ?? true) && (r is null || r.Status == "online");
            yield return online && r is not null
                ? new NodeCard(snapshot.Connection, name, true, member?.Ip, r.Cpu, r.MaxCpu, r.Mem, r.MaxMem, r.Disk, r.MaxDisk, r.Uptime)
                : new NodeCard(snapshot.Connection, name, online, member?.Ip, 0, r?.MaxCpu ?? 0, 0, r?.MaxMem ?? 0, 0, r?.MaxDisk ?? 0, 0);
        }
    }

    public static IEnumerable<InventoryAlert> Alerts(InventorySnapshot snapshot, DateTimeOffset now)
    {
        var c = snapshot.Connection;
        if (snapshot.Stale)
            yield return new InventoryAlert(AlertSeverity.Critical, AlertKind.ConnectionUnreachable, c, null, c, snapshot.Error!, snapshot.CheckedAt);
        if (!snapshot.Loaded) yield break;

        foreach (var node in Nodes(snapshot).Where(n => !n.Online))
            yield return new InventoryAlert(AlertSeverity.Critical, AlertKind.NodeOffline, c, node.Name, node.Name, "offline", snapshot.At);

        // Shared storage is reported once per node: alert once.
        var storages = snapshot.Resources.Storage
            .Where(s => s.Status == "available" && s.MaxDisk > 0)
            .GroupBy(s => s.Shared ? "shared/" + s.Storage : s.Node + "/" + s.Storage)
            .Select(g => g.First());
        foreach (var s in storages)
        {
            var fraction = Usage.Fraction(s.Disk, s.MaxDisk);
            if (fraction <= StorageWarningAbove) continue;
            yield return new InventoryAlert(fraction > StorageCriticalAbove ? AlertSeverity.Critical : AlertSeverity.Warning, AlertKind.StorageFull,
                c, s.Shared ? null : s.Node, s.Storage,
                string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(fraction * 100):0} % used"), snapshot.At);
        }

        var failed = snapshot.Tasks
            .Where(t => t.Failed && (t.EndTime ?? t.StartTime) >= now - FailedTaskWindow)
            .OrderByDescending(t => t.EndTime ?? t.StartTime)
            .Take(MaxTaskAlerts);
        foreach (var t in failed)
        {
            var backup = t.Type == "vzdump";
            // vzdump of one guest has its VMID as the task id (several guests: empty id); the guest's name from the inventory
            int? vmId = backup && int.TryParse(t.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            var vmName = vmId is { } v ? snapshot.Resources.Guests.FirstOrDefault(g => g.VmId == v)?.Name : null;
            yield return new InventoryAlert(backup ? AlertSeverity.Critical : AlertSeverity.Warning, backup ? AlertKind.BackupFailed : AlertKind.TaskFailed,
                c, t.Node, string.IsNullOrEmpty(t.Id) ? t.Type : $"{t.Type} {t.Id}", t.ExitStatus ?? "failed", t.EndTime ?? t.StartTime,
                vmId, string.IsNullOrEmpty(vmName) ? null : vmName, t.Upid);
        }
    }
}
