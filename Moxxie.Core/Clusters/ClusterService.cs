namespace Moxxie.Core.Clusters;

/// <summary>Cluster overview per connection for the dashboard and GET /api/v1/cluster/status.</summary>
public sealed class ClusterService
{
    // TODO(H2): implement. Constructor dependencies: InventoryHub, IProxmoxConnections.
    public IReadOnlyList<ClusterOverview> Overviews() => throw new NotImplementedException();
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
