using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Clusters;

/// <summary>Cluster overview per connection for the dashboard and GET /api/v1/cluster/status.</summary>
public sealed class ClusterService(InventoryHub hub, IProxmoxConnections connections)
{
    /// <summary>One overview per registered connection (in registry order); connections not polled yet show as
    /// unreachable with no data and Error "Not loaded yet".</summary>
    public IReadOnlyList<ClusterOverview> Overviews() =>
        [.. connections.All.Select(c => Overview(c.Name, hub.Get(c.Name)))];

    /// <summary>The last known /cluster/resources of every connection (or of one; <see cref="KeyNotFoundException"/> when it
    /// is not registered), from the inventory: no PVE round-trip.</summary>
    public IReadOnlyList<ConnectionResources> Resources(string? connection = null)
    {
        var all = connections.All;
        if (!string.IsNullOrWhiteSpace(connection))
        {
            var name = connection.Trim();
            all = [.. all.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))];
            if (all.Count == 0) throw new KeyNotFoundException($"Unknown connection '{name}'.");
        }
        return [.. all.Select(c => new ConnectionResources(c.Name, hub.Get(c.Name)?.Resources ?? ClusterResources.Empty))];
    }

    public static ClusterOverview Overview(string connection, InventorySnapshot? snapshot)
    {
        if (snapshot is null)
            return new ClusterOverview(connection, null, false, null, 0, 0, [], 0, 0, 0, 0, 0, 0, 0, 0, 0, false, "Not loaded yet", null);

        var r = snapshot.Resources;
        var cluster = snapshot.Cluster;
        var nodes = cluster?.Nodes ?? [];
        var guests = r.Guests.Where(g => !g.Template).ToList();

        var online = r.Nodes.Where(n => n.Status == "online").ToList();
        var cpuCapacity = online.Sum(n => (double)n.MaxCpu);
        var cpu = cpuCapacity > 0 ? online.Sum(n => n.Cpu * n.MaxCpu) / cpuCapacity : 0;

        // Shared storage is reported once per node: count it once.
        var storage = r.Storage
            .Where(s => s.Status == "available")
            .GroupBy(s => s.Shared ? "shared/" + s.Storage : s.Node + "/" + s.Storage)
            .Select(g => g.First())
            .ToList();

        return new ClusterOverview(
            connection,
            cluster?.Name,
            cluster?.Quorate ?? false,
            cluster?.ConfigVersion,
            nodes.Count > 0 ? nodes.Count(n => n.Online) : online.Count,
            nodes.Count > 0 ? nodes.Count : r.Nodes.Count,
            nodes,
            guests.Count(g => g.Status == "running"),
            guests.Count(g => g.Status == "stopped"),
            guests.Count(g => g.Status == "paused"),
            r.Guests.Count(g => g.Template),
            cpu,
            online.Sum(n => n.Mem),
            online.Sum(n => n.MaxMem),
            storage.Sum(s => s.Disk),
            storage.Sum(s => s.MaxDisk),
            snapshot.Error is null && snapshot.Loaded,
            snapshot.Error,
            snapshot.Loaded ? snapshot.At : null);
    }
}

/// <summary>Dashboard numbers of one connection. Fractions are 0..1.</summary>
public sealed record ClusterOverview(
    string Connection,
    string? ClusterName,
    bool Quorate,
    int? ConfigVersion,
    int NodesOnline,
    int NodesTotal,
    IReadOnlyList<Proxmox.ClusterNode> Nodes,
    int Running,
    int Stopped,
    int Paused,
    int Templates,
    double CpuUsage,
    long MemUsed,
    long MemTotal,
    long StorageUsed,
    long StorageTotal,
    bool Reachable,
    string? Error,
    DateTimeOffset? LastUpdated);

/// <summary>One connection's cluster resources (guests, nodes, storage).</summary>
public sealed record ConnectionResources(string Connection, ClusterResources Resources);
