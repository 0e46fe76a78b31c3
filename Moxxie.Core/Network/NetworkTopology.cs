using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Network;

/// <summary>Columns of the topology diagram, left to right.</summary>
public enum TopologyLayer { Physical, Bond, Bridge, Guest }

/// <summary>A box of the diagram. <see cref="Missing"/>: referenced (e.g. a guest NIC's bridge) but not defined on the node.</summary>
public sealed record TopologyNode(string Id, string Label, TopologyLayer Layer, string Kind, string? Detail, bool Active, bool Missing = false);

/// <summary>A line of the diagram, from the lower layer to the upper one; <see cref="VlanTag"/> for tagged guest NICs.</summary>
public sealed record TopologyLink(string From, string To, int? VlanTag);

/// <summary>A guest on the node with its NICs (parsed from netN by <see cref="GuestNic"/>).</summary>
public sealed record GuestNics(int VmId, string Name, GuestType Type, string Status, IReadOnlyList<GuestNic> Nics);

/// <summary>
/// The node's network as a layered graph: physical NICs → bonds → bridges (and VLAN interfaces on them) → guest NICs
/// with their VLAN tags. Nodes come in display order: each column is ordered so that children sit near their parent.
/// </summary>
public sealed record NetworkTopology(IReadOnlyList<TopologyNode> Nodes, IReadOnlyList<TopologyLink> Links)
{
    public IEnumerable<TopologyNode> Layer(TopologyLayer layer) => Nodes.Where(n => n.Layer == layer);

    public static string IfaceId(string iface) => "if:" + iface;

    public static string NicId(int vmId, string key) => $"vm:{vmId}:{key}";

    public static NetworkTopology Build(IReadOnlyList<NetworkInterface> interfaces, IReadOnlyList<GuestNics> guests,
        IReadOnlyCollection<string>? sdnVnets = null)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(guests);
        var byName = interfaces.ToDictionary(i => i.Iface, StringComparer.Ordinal);
        var links = new List<TopologyLink>();
        var nodes = new Dictionary<string, TopologyNode>(StringComparer.Ordinal);

        // Bridges (and OVS bridges) first: they anchor the ordering of every other column.
        var bridges = interfaces.Where(IsBridge).OrderBy(i => i.Iface, NaturalOrder.Instance).ToList();
        var bridgeNames = bridges.Select(b => b.Iface).ToList();
        foreach (var b in bridges)
            nodes[IfaceId(b.Iface)] = new TopologyNode(IfaceId(b.Iface), b.Iface, TopologyLayer.Bridge, b.Type,
                BridgeDetail(b), b.Active);

        // VLAN interfaces on a device (vmbr0.50 on vmbr0, eno1.20 on eno1) sit with the guests, above their raw device.
        var vlans = interfaces.Where(i => i.Type is "vlan" or "OVSIntPort").OrderBy(i => i.Iface, NaturalOrder.Instance).ToList();

        // Bonds and physical NICs, ordered by the first bridge using them.
        var bonds = interfaces.Where(i => i.Type is "bond" or "OVSBond").ToList();
        var physical = interfaces.Where(i => i.Type is "eth" or "unknown" && !IsBridge(i)).ToList();
        foreach (var b in bridges)
            foreach (var port in b.BridgePorts)
            {
                var (device, tag) = SplitVlan(port, byName);
                if (byName.ContainsKey(device)) links.Add(new TopologyLink(IfaceId(device), IfaceId(b.Iface), tag));
            }
        foreach (var bond in bonds)
            foreach (var slave in bond.Slaves.Where(byName.ContainsKey))
                links.Add(new TopologyLink(IfaceId(slave), IfaceId(bond.Iface), null));

        int Rank(string id) => RankOf(id, links, bridges.Select(b => IfaceId(b.Iface)).ToList(), new HashSet<string>(StringComparer.Ordinal));
        foreach (var bond in bonds.OrderBy(b => Rank(IfaceId(b.Iface))).ThenBy(b => b.Iface, NaturalOrder.Instance))
            nodes[IfaceId(bond.Iface)] = new TopologyNode(IfaceId(bond.Iface), bond.Iface, TopologyLayer.Bond, bond.Type,
                bond.BondMode is { } mode ? $"{mode}: {string.Join(", ", bond.Slaves)}" : string.Join(", ", bond.Slaves), bond.Active);
        foreach (var eth in physical.OrderBy(p => Rank(IfaceId(p.Iface))).ThenBy(p => p.Iface, NaturalOrder.Instance))
            nodes[IfaceId(eth.Iface)] = new TopologyNode(IfaceId(eth.Iface), eth.Iface, TopologyLayer.Physical, eth.Type,
                eth.Active ? "up" : "down", eth.Active);

        // Guest NICs, grouped under their bridge (bridges in order), then by VMID and NIC index. A bridge the node does not
        // define (an SDN VNet, or a typo) gets a box of its own, marked missing unless it is a VNet.
        var guestNodes = new List<(int BridgeRank, int VmId, int Index, TopologyNode Node)>();
        foreach (var vlan in vlans)
        {
            var raw = vlan.VlanRawDevice ?? (vlan.Iface.LastIndexOf('.') is var dot and > 0 ? vlan.Iface[..dot] : null);
            var rank = raw is null ? int.MaxValue : bridgeNames.IndexOf(raw);
            var node = new TopologyNode(IfaceId(vlan.Iface), vlan.Iface, TopologyLayer.Guest, vlan.Type,
                vlan.Cidr ?? vlan.Address ?? vlan.Comments?.Trim(), vlan.Active);
            guestNodes.Add((rank < 0 ? int.MaxValue - 1 : rank, -1, 0, node));
            if (raw is not null && (byName.ContainsKey(raw) || nodes.ContainsKey(IfaceId(raw))))
                links.Add(new TopologyLink(IfaceId(raw), node.Id, vlan.VlanId));
        }
        foreach (var g in guests)
            foreach (var nic in g.Nics)
            {
                if (string.IsNullOrEmpty(nic.Bridge)) continue;
                var bridgeId = IfaceId(nic.Bridge);
                if (!nodes.ContainsKey(bridgeId))
                {
                    var isVnet = sdnVnets?.Contains(nic.Bridge) == true;
                    nodes[bridgeId] = isVnet
                        ? new TopologyNode(bridgeId, nic.Bridge, TopologyLayer.Bridge, "vnet", "SDN VNet", true)
                        : new TopologyNode(bridgeId, nic.Bridge, TopologyLayer.Bridge, "bridge", "not defined on this node", false, Missing: true);
                    bridgeNames.Add(nic.Bridge);
                }
                var rank = bridgeNames.IndexOf(nic.Bridge);
                var label = $"{g.Name} {nic.Key}";
                var detail = string.Join(" · ", new[] { g.VmId.ToString(System.Globalization.CultureInfo.InvariantCulture), nic.Model, nic.MacAddress }
                    .Where(s => !string.IsNullOrEmpty(s)));
                var node = new TopologyNode(NicId(g.VmId, nic.Key), label, TopologyLayer.Guest, g.Type == GuestType.Lxc ? "lxc" : "qemu",
                    detail, g.Status == "running" && nic.LinkDown != true);
                guestNodes.Add((rank, g.VmId, nic.Index, node));
                links.Add(new TopologyLink(bridgeId, node.Id, nic.VlanTag));
            }

        var ordered = new List<TopologyNode>();
        ordered.AddRange(nodes.Values.Where(n => n.Layer == TopologyLayer.Physical));
        ordered.AddRange(nodes.Values.Where(n => n.Layer == TopologyLayer.Bond));
        ordered.AddRange(bridgeNames.Select(b => nodes[IfaceId(b)]));
        ordered.AddRange(guestNodes.OrderBy(g => g.BridgeRank).ThenBy(g => g.VmId).ThenBy(g => g.Index).Select(g => g.Node));
        return new NetworkTopology(ordered, links);
    }

    private static bool IsBridge(NetworkInterface i) => i.Type is "bridge" or "OVSBridge";

    private static string? BridgeDetail(NetworkInterface b)
    {
        var parts = new List<string>();
        if ((b.Cidr ?? b.Address) is { } ip) parts.Add(ip);
        if (b.BridgeVlanAware) parts.Add("VLAN-aware");
        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    /// <summary>"eno1.20" as a bridge port is VLAN 20 on eno1 when eno1.20 itself is not an interface of the node.</summary>
    private static (string Device, int? Tag) SplitVlan(string port, IReadOnlyDictionary<string, NetworkInterface> byName)
    {
        if (byName.ContainsKey(port)) return (port, null);
        var dot = port.LastIndexOf('.');
        return dot > 0 && int.TryParse(port.AsSpan(dot + 1), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var tag)
            ? (port[..dot], tag)
            : (port, null);
    }

    /// <summary>Index of the first bridge an interface leads to (directly or through a bond); unconnected ones go last.</summary>
    private static int RankOf(string id, IReadOnlyList<TopologyLink> links, IReadOnlyList<string> bridgeIds, HashSet<string> seen)
    {
        var direct = bridgeIds.ToList().IndexOf(id);
        if (direct >= 0) return direct;
        if (!seen.Add(id)) return int.MaxValue;
        var best = int.MaxValue;
        foreach (var l in links.Where(l => l.From == id)) best = Math.Min(best, RankOf(l.To, links, bridgeIds, seen));
        return best;
    }
}
