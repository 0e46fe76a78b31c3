namespace Moxxie.Core.Proxmox;

/// <summary>Cluster-wide: SDN, pools, HA.</summary>
public partial interface IProxmoxGateway
{
    /// <summary>GET /cluster/resources?type= (vm, storage, node, sdn).</summary>
    Task<ClusterResources> GetResourcesAsync(string? type, CancellationToken ct);

    /// <summary>GET /cluster/nextid: the next free VMID; with <paramref name="vmId"/> asserts that one is free (PVE's
    /// "VM n already exists" otherwise).</summary>
    Task<int> GetNextVmIdAsync(int? vmId, CancellationToken ct);

    /// <summary>GET /cluster/sdn/zones.</summary>
    Task<IReadOnlyList<SdnZone>> GetSdnZonesAsync(CancellationToken ct);

    /// <summary>GET /cluster/sdn/vnets.</summary>
    Task<IReadOnlyList<SdnVnet>> GetSdnVnetsAsync(CancellationToken ct);

    /// <summary>GET /cluster/sdn/vnets/{vnet}/subnets.</summary>
    Task<IReadOnlyList<SdnSubnet>> GetSdnSubnetsAsync(string vnet, CancellationToken ct);

    /// <summary>GET /pools (every pool with its members).</summary>
    Task<IReadOnlyList<Pool>> GetPoolsAsync(CancellationToken ct);

    /// <summary>GET /cluster/ha/resources.</summary>
    Task<IReadOnlyList<HaResource>> GetHaResourcesAsync(CancellationToken ct);

    /// <summary>GET /cluster/ha/status/current.</summary>
    Task<IReadOnlyList<HaStatusEntry>> GetHaStatusAsync(CancellationToken ct);
}
