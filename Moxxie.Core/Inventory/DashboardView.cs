using Moxxie.Core.Clusters;

namespace Moxxie.Core.Inventory;

/// <summary>Everything the dashboard shows, from the in-memory inventory (no PVE round-trip).</summary>
/// <remarks>One view is shared by every open dashboard until the inventory changes (<see cref="DashboardViewCache"/>), so
/// its lists are read-only and never copied per browser.</remarks>
public sealed record DashboardView(
    IReadOnlyList<ClusterOverview> Clusters,
    IReadOnlyList<NodeCard> Nodes,
    IReadOnlyList<InventoryAlert> Alerts,
    IReadOnlyList<StaleConnection> Stale)
{
    private readonly Lazy<Dictionary<string, IReadOnlyList<NodeCard>>> _byConnection = new(() =>
        Nodes.GroupBy(n => n.Connection, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<NodeCard>)[.. g], StringComparer.Ordinal));

    /// <summary>One connection's nodes, in the order of <see cref="Nodes"/>; the same list instance on every call.</summary>
    public IReadOnlyList<NodeCard> NodesOf(string connection) => _byConnection.Value.GetValueOrDefault(connection) ?? [];
}

/// <summary>A node as its card shows it. Usage fields are 0 when PVE reports nothing (offline node).</summary>
public sealed record NodeCard(
    string Connection,
    string Name,
    bool Online,
    string? Ip,
    double Cpu,
    int MaxCpu,
    long Mem,
    long MaxMem,
    long Disk,
    long MaxDisk,
    long Uptime);

public enum AlertSeverity { Warning, Critical }

/// <summary>Kinds of dashboard alerts.</summary>
public enum AlertKind { ConnectionUnreachable, NodeOffline, StorageFull, TaskFailed, BackupFailed }

/// <summary>Something an operator should look at. <see cref="Subject"/> names what it is about (connection, node,
/// storage, or the task's type and id); <see cref="Message"/> carries the figure or PVE's own error. A failed task of one
/// guest (a backup of one VM: vzdump with the VMID as its id) also carries <see cref="VmId"/> and, when the inventory
/// knows it, <see cref="VmName"/>; <see cref="Upid"/> is the failed task's.</summary>
public sealed record InventoryAlert(
    AlertSeverity Severity,
    AlertKind Kind,
    string Connection,
    string? Node,
    string Subject,
    string Message,
    DateTimeOffset? At,
    int? VmId = null,
    string? VmName = null,
    string? Upid = null);

/// <summary>A connection that cannot be refreshed: the UI shows its last good data with a stale banner.</summary>
public sealed record StaleConnection(string Connection, string Error, DateTimeOffset? LastGoodAt);
