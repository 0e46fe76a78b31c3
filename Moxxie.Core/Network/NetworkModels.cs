using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Network;

/// <summary>A node that has a network to show (from the inventory).</summary>
public sealed record NetworkNodeRef(string Connection, string Node, bool Online);

/// <summary>SDN of one connection: zones, VNets and their subnets; <see cref="Error"/> when PVE could not give them
/// (e.g. SDN not installed or the route not served).</summary>
public sealed record SdnOverview(string Connection, IReadOnlyList<SdnZone> Zones, IReadOnlyList<SdnVnet> Vnets, IReadOnlyList<SdnSubnet> Subnets,
    string? Error)
{
    public bool IsEmpty => Zones.Count == 0 && Vnets.Count == 0;
}

/// <summary>Outcome of apply/revert of pending network changes.</summary>
public sealed record NetworkActionResult(bool Success, string Message, string? Upid = null);

/// <summary>A VNet with the zone it belongs to (null when the zone is not defined).</summary>
public sealed record VnetEntry(string Connection, SdnVnet Vnet, SdnZone? Zone);
