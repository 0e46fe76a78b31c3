using Moxxie.Core.Network;
using Moxxie.Core.Proxmox;
using Xunit;

namespace Moxxie.Tests.Unit.Network;

/// <summary>NetworkTopology.Build: physical NICs → bonds → bridges → guest NICs with VLAN tags, ordering and odd cases.</summary>
public sealed class NetworkTopologyTests
{
    private static NetworkInterface Iface(string name, string type, bool active = true, string[]? ports = null, string[]? slaves = null,
        bool vlanAware = false, string? cidr = null, string? raw = null, int? vlanId = null, string? bondMode = null) =>
        new(name, type, active, true, true, "manual", null, cidr?.Split('/')[0], cidr is null ? null : "24", cidr, null, null, null, null,
            ports ?? [], vlanAware, null, slaves ?? [], bondMode, raw, vlanId, null, null, null, ["inet"]);

    private static GuestNics Guest(int vmid, string name, params (string Key, string Value)[] nets) =>
        new(vmid, name, GuestType.Qemu, "running", [.. nets.Select(n => GuestNic.Parse(n.Key, n.Value))]);

    /// <summary>proxmox-02 of the demo cluster: eno1 → vmbr0, eno3+eno4 → bond0 → vmbr1, eno2 unused, vmbr0.50 VLAN.</summary>
    private static IReadOnlyList<NetworkInterface> BondedNode() =>
    [
        Iface("vmbr1", "bridge", ports: ["bond0"]),
        Iface("eno4", "eth"),
        Iface("vmbr0", "bridge", ports: ["eno1"], vlanAware: true, cidr: "192.168.1.11/24"),
        Iface("eno2", "eth", active: false),
        Iface("bond0", "bond", slaves: ["eno3", "eno4"], bondMode: "802.3ad"),
        Iface("eno1", "eth"),
        Iface("eno3", "eth"),
        Iface("vmbr0.50", "vlan", cidr: "10.50.0.11/24", raw: "vmbr0", vlanId: 50),
    ];

    [Fact]
    public void Build_LinksPhysicalToBondToBridge_AndEachLayerIsItsOwnColumn()
    {
        var t = NetworkTopology.Build(BondedNode(), []);

        Assert.Equal(["eno1", "eno3", "eno4", "eno2"], t.Layer(TopologyLayer.Physical).Select(n => n.Label));
        Assert.Equal(["bond0"], t.Layer(TopologyLayer.Bond).Select(n => n.Label));
        Assert.Equal(["vmbr0", "vmbr1"], t.Layer(TopologyLayer.Bridge).Select(n => n.Label));
        Assert.Contains(new TopologyLink("if:eno1", "if:vmbr0", null), t.Links);
        Assert.Contains(new TopologyLink("if:eno3", "if:bond0", null), t.Links);
        Assert.Contains(new TopologyLink("if:eno4", "if:bond0", null), t.Links);
        Assert.Contains(new TopologyLink("if:bond0", "if:vmbr1", null), t.Links);
        Assert.DoesNotContain(t.Links, l => l.From == "if:eno2");
        Assert.False(t.Nodes.Single(n => n.Label == "eno2").Active);
        Assert.Equal("802.3ad: eno3, eno4", t.Nodes.Single(n => n.Label == "bond0").Detail);
        Assert.Equal("192.168.1.11/24 · VLAN-aware", t.Nodes.Single(n => n.Label == "vmbr0").Detail);
    }

    [Fact]
    public void Build_GuestNics_HangOffTheirBridge_WithVlanTags_OrderedByBridgeThenVmid()
    {
        var guests = new[]
        {
            Guest(205, "db-01", ("net0", "virtio=BC:24:11:00:00:01,bridge=vmbr1"), ("net1", "virtio=BC:24:11:00:00:02,bridge=vmbr0,tag=100,firewall=1")),
            Guest(101, "web-01", ("net0", "virtio=BC:24:11:00:00:03,bridge=vmbr0,tag=100")),
        };

        var t = NetworkTopology.Build(BondedNode(), guests);

        var guestColumn = t.Layer(TopologyLayer.Guest).Select(n => n.Id).ToList();
        Assert.Equal(["if:vmbr0.50", "vm:101:net0", "vm:205:net1", "vm:205:net0"], guestColumn);
        Assert.Contains(new TopologyLink("if:vmbr0", "vm:101:net0", 100), t.Links);
        Assert.Contains(new TopologyLink("if:vmbr0", "vm:205:net1", 100), t.Links);
        Assert.Contains(new TopologyLink("if:vmbr1", "vm:205:net0", null), t.Links);
        Assert.Contains(new TopologyLink("if:vmbr0", "if:vmbr0.50", 50), t.Links);
        var web = t.Nodes.Single(n => n.Id == "vm:101:net0");
        Assert.Equal("web-01 net0", web.Label);
        Assert.Equal("101 · virtio · BC:24:11:00:00:03", web.Detail);
        Assert.True(web.Active);
    }

    [Fact]
    public void Build_NicOnAnUndefinedBridge_GetsAMissingBox_UnlessItIsAnSdnVnet()
    {
        var guests = new[]
        {
            Guest(300, "lab-01", ("net0", "virtio=BC:24:11:00:00:04,bridge=labnet")),
            Guest(301, "typo-01", ("net0", "virtio=BC:24:11:00:00:05,bridge=vmbr9")),
        };

        var t = NetworkTopology.Build(BondedNode(), guests, sdnVnets: ["labnet"]);

        var vnet = t.Nodes.Single(n => n.Id == "if:labnet");
        Assert.Equal(("vnet", false, TopologyLayer.Bridge), (vnet.Kind, vnet.Missing, vnet.Layer));
        var missing = t.Nodes.Single(n => n.Id == "if:vmbr9");
        Assert.True(missing.Missing);
        Assert.False(missing.Active);
        Assert.Equal(["vmbr0", "vmbr1", "labnet", "vmbr9"], t.Layer(TopologyLayer.Bridge).Select(n => n.Label));
        Assert.Contains(new TopologyLink("if:vmbr9", "vm:301:net0", null), t.Links);
    }

    [Fact]
    public void Build_StoppedGuestOrLinkDown_IsInactive_AndNicsWithoutBridgeAreLeftOut()
    {
        var guests = new GuestNics[]
        {
            new(400, "off-01", GuestType.Qemu, "stopped", [GuestNic.Parse("net0", "virtio=BC:24:11:00:00:06,bridge=vmbr0")]),
            Guest(401, "down-01", ("net0", "virtio=BC:24:11:00:00:07,bridge=vmbr0,link_down=1"), ("net1", "virtio=BC:24:11:00:00:08")),
            new(402, "ct-01", GuestType.Lxc, "running", [GuestNic.Parse("net0", "name=eth0,bridge=vmbr0,hwaddr=BC:24:11:00:00:09,ip=dhcp,tag=20")]),
        };

        var t = NetworkTopology.Build(BondedNode(), guests);

        Assert.False(t.Nodes.Single(n => n.Id == "vm:400:net0").Active);
        Assert.False(t.Nodes.Single(n => n.Id == "vm:401:net0").Active);
        Assert.DoesNotContain(t.Nodes, n => n.Id == "vm:401:net1");
        var ct = t.Nodes.Single(n => n.Id == "vm:402:net0");
        Assert.Equal("lxc", ct.Kind);
        Assert.Contains(new TopologyLink("if:vmbr0", "vm:402:net0", 20), t.Links);
    }

    [Fact]
    public void Build_BridgePortWithVlanSuffix_LinksTheRawDeviceWithTheTag()
    {
        IReadOnlyList<NetworkInterface> ifaces = [Iface("eno1", "eth"), Iface("vmbr5", "bridge", ports: ["eno1.20"])];

        var t = NetworkTopology.Build(ifaces, []);

        Assert.Equal([new TopologyLink("if:eno1", "if:vmbr5", 20)], t.Links);
    }

    [Fact]
    public void NaturalOrder_SortsNumbersByValue()
    {
        string[] names = ["vmbr10", "eno10", "vmbr0.50", "eno2", "vmbr1", "vmbr0"];

        Assert.Equal(["eno2", "eno10", "vmbr0", "vmbr0.50", "vmbr1", "vmbr10"], names.Order(NaturalOrder.Instance));
    }

    [Theory]
    [InlineData("24", "255.255.255.0")]
    [InlineData("16", "255.255.0.0")]
    [InlineData("32", "255.255.255.255")]
    [InlineData("255.255.255.0", "255.255.255.0")]
    public void DottedNetmask_TurnsPrefixLengthsIntoTheGuidesForm(string pve, string expected) =>
        Assert.Equal(expected, NetworkInterfaceTypes.DottedNetmask(pve));

    [Fact]
    public void Cidr_ComesFromCidrOrAddressAndNetmask()
    {
        var withCidr = Iface("vmbr0", "bridge", cidr: "192.168.1.10/24");
        var dotted = withCidr with { Cidr = null, Netmask = "255.255.252.0" };

        Assert.Equal("192.168.1.10/24", NetworkInterfaceTypes.Cidr(withCidr));
        Assert.Equal("192.168.1.10/22", NetworkInterfaceTypes.Cidr(dotted));
        Assert.Null(NetworkInterfaceTypes.Cidr(Iface("eno1", "eth")));
    }
}
