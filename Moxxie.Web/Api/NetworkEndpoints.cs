using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Network;
using Moxxie.Core.Proxmox;

namespace Moxxie.Web.Api;

/// <summary>/api/v1/networks (a node's interfaces, the guide's shape) and /api/v1/sdn/vnets.</summary>
public static class NetworkEndpoints
{
    public static RouteGroupBuilder MapNetworkEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/networks", ListAsync).WithTags("Network")
            .WithSummary("Network interfaces of a node (node: default every online node); type: a PVE interface type (bridge, bond, eth, vlan, …, any_bridge).");
        api.MapGet("/sdn/vnets", VnetsAsync).WithTags("Network")
            .WithSummary("SDN VNets with their zone's IPAM and MAC; zone: one zone; connection: one connection (default all).");
        return api;
    }

    private static async Task<Ok<List<NetworkInterfaceDto>>> ListAsync(string? node, string? type, string? connection, NetworkService network,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var filter = string.IsNullOrWhiteSpace(type) ? null : type.Trim();
        if (filter is not null && !NetworkInterfaceTypes.IsFilter(filter))
            errors["type"] = $"Must be one of {string.Join(", ", NetworkInterfaceTypes.Filters)}.";
        if (node is not null && string.IsNullOrWhiteSpace(node))
            errors["node"] = "Must name a node.";
        ApiQuery.ThrowIfAny(errors);

        IReadOnlyList<NetworkNodeRef> targets = node is null
            ? [.. network.Nodes().Where(n => n.Online && (string.IsNullOrWhiteSpace(connection)
                || string.Equals(n.Connection, connection.Trim(), StringComparison.OrdinalIgnoreCase)))]
            : [network.Resolve(connection, node.Trim())];
        var result = new List<NetworkInterfaceDto>();
        foreach (var target in targets)
            result.AddRange((await network.InterfacesAsync(target, filter, ct)).Select(i => ToDto(target, i)));
        return TypedResults.Ok(result);
    }

    private static async Task<Ok<List<SdnVnetDto>>> VnetsAsync(string? zone, string? connection, NetworkService network, CancellationToken ct)
    {
        var vnets = await network.VnetsAsync(connection, string.IsNullOrWhiteSpace(zone) ? null : zone.Trim(), ct);
        return TypedResults.Ok(vnets.Select(v => new SdnVnetDto(v.Vnet.Vnet, v.Vnet.Zone, "vnet", v.Vnet.Tag, v.Vnet.Alias, v.Zone?.Ipam, v.Zone?.Mac,
            v.Vnet.VlanAware, v.Zone?.Type, v.Connection)).ToList());
    }

    public static NetworkInterfaceDto ToDto(NetworkNodeRef node, NetworkInterface i) => new()
    {
        Iface = i.Iface, Type = i.Type, Active = i.Active, Autostart = i.Autostart,
        BridgePorts = i.BridgePorts.Count > 0 || i.Type is "bridge" or "OVSBridge" ? string.Join(' ', i.BridgePorts) : null,
        BridgeStp = i.BridgeStp, BridgeFd = i.BridgeFd, BridgeVlanAware = i.BridgeVlanAware ? true : null, BridgeVids = i.BridgeVids,
        Slaves = i.Slaves.Count > 0 ? string.Join(' ', i.Slaves) : null, BondMode = i.BondMode, VlanRawDevice = i.VlanRawDevice, VlanId = i.VlanId,
        Address = i.Address, Netmask = NetworkInterfaceTypes.DottedNetmask(i.Netmask), Cidr = i.Cidr, Gateway = i.Gateway,
        Address6 = i.Address6, Cidr6 = i.Cidr6, Gateway6 = i.Gateway6, Mtu = i.Mtu, Families = i.Families, Method = i.Method, Method6 = i.Method6,
        Comments = i.Comments?.Trim() is { Length: > 0 } c ? c : null, Node = node.Node, Connection = node.Connection,
    };
}
