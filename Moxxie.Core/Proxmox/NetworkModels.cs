namespace Moxxie.Core.Proxmox;

/// <summary>One interface of GET /nodes/{node}/network.</summary>
public sealed record NetworkInterface(
    string Iface,
    string Type,
    bool Active,
    bool Autostart,
    bool Exists,
    string? Method,
    string? Method6,
    string? Address,
    string? Netmask,
    string? Cidr,
    string? Gateway,
    string? Address6,
    string? Cidr6,
    string? Gateway6,
    IReadOnlyList<string> BridgePorts,
    bool BridgeVlanAware,
    string? BridgeVids,
    IReadOnlyList<string> Slaves,
    string? BondMode,
    string? VlanRawDevice,
    int? VlanId,
    int? Mtu,
    string? Comments,
    int? Priority,
    IReadOnlyList<string> Families)
{
    /// <summary>bridge_stp ("on"/"off") of a Linux bridge.</summary>
    public string? BridgeStp { get; init; }

    /// <summary>bridge_fd (forward delay, seconds) of a Linux bridge.</summary>
    public int? BridgeFd { get; init; }
}

/// <summary>The node's interfaces and the pending diff of /etc/network/interfaces.new (null when nothing is pending).</summary>
public sealed record NetworkConfig(IReadOnlyList<NetworkInterface> Interfaces, string? PendingChanges)
{
    public bool HasPendingChanges => !string.IsNullOrEmpty(PendingChanges);
}

/// <summary>Create/update of an interface (POST /nodes/{node}/network, PUT /nodes/{node}/network/{iface}). Null = not sent;
/// <see cref="Delete"/> lists settings to remove on update.</summary>
public sealed record NetworkInterfaceSpec(string Iface, string Type)
{
    public string? Cidr { get; init; }
    public string? Gateway { get; init; }
    public string? Cidr6 { get; init; }
    public string? Gateway6 { get; init; }
    public bool? Autostart { get; init; }
    public IReadOnlyList<string>? BridgePorts { get; init; }
    public bool? BridgeVlanAware { get; init; }
    public string? BridgeVids { get; init; }
    public IReadOnlyList<string>? Slaves { get; init; }
    public string? BondMode { get; init; }
    public string? VlanRawDevice { get; init; }
    public int? VlanId { get; init; }
    public int? Mtu { get; init; }
    public string? Comments { get; init; }
    public IReadOnlyList<string> Delete { get; init; } = [];
}
