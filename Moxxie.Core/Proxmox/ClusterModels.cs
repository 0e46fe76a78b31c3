namespace Moxxie.Core.Proxmox;

/// <summary>An SDN zone (GET /cluster/sdn/zones). <see cref="State"/>/<see cref="Pending"/> only with pending=1.</summary>
public sealed record SdnZone(string Zone, string Type, string? Bridge, string? Ipam, string? Dhcp, IReadOnlyList<string> Nodes, int? Mtu, int? Tag,
    string? State, string? Digest)
{
    /// <summary>Anycast router MAC address of the zone (EVPN).</summary>
    public string? Mac { get; init; }
}

/// <summary>An SDN VNet (GET /cluster/sdn/vnets).</summary>
public sealed record SdnVnet(string Vnet, string Zone, int? Tag, string? Alias, bool VlanAware, bool IsolatePorts, string? State, string? Digest);

/// <summary>A subnet of a VNet (GET /cluster/sdn/vnets/{vnet}/subnets).</summary>
public sealed record SdnSubnet(string Id, string Subnet, string Vnet, string? Zone, string? Gateway, bool Snat, IReadOnlyList<string> DhcpRanges,
    string? DnsZonePrefix, string? State);

/// <summary>A resource pool with its members (GET /pools, /pools/{poolid}).</summary>
public sealed record Pool(string PoolId, string? Comment, IReadOnlyList<PoolMember> Members);

public sealed record PoolMember(string Id, string Type, string? Node, int? VmId, string? Storage, string? Name, string? Status);

/// <summary>An HA-managed resource (GET /cluster/ha/resources).</summary>
public sealed record HaResource(string Sid, string Type, string? State, string? Group, int? MaxRestart, int? MaxRelocate, string? Comment, string? Digest);

/// <summary>One line of GET /cluster/ha/status/current (quorum, master, lrm per node, service per resource).</summary>
public sealed record HaStatusEntry(string Id, string Type, string? Node, string? Status, string? State, string? Sid, bool? Quorate,
    string? CrmState, string? RequestState, DateTimeOffset? Timestamp);

/// <summary>One sdn/pool entry of /cluster/resources.</summary>
public sealed record SdnResource(string Sdn, string Node, string? Status, string? Type);

public sealed record PoolResource(string Pool);
