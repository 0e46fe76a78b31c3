using System.Text.Json.Serialization;

namespace Moxxie.Web.Api;

// Storage, network and SDN response shapes of /api/v1 (issue 4), named as in the UI guide.

/// <summary>The guide's "Success Response": <c>{data, message}</c>.</summary>
public sealed record DataMessageResponse<T>(
    [property: JsonPropertyName("data")] T Data,
    [property: JsonPropertyName("message")] string Message);

/// <summary>GET /api/v1/storage: the guide's storage entry. Type-specific settings (path, pool, server, export, vgname,
/// thinpool) appear only when the storage has them.</summary>
public sealed record StorageDto
{
    [JsonPropertyName("storage")] public required string Storage { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("content")] public required IReadOnlyList<string> Content { get; init; }
    [JsonPropertyName("active")] public bool Active { get; init; }
    [JsonPropertyName("enabled")] public bool Enabled { get; init; }
    [JsonPropertyName("shared")] public bool Shared { get; init; }
    [JsonPropertyName("total")] public long Total { get; init; }
    [JsonPropertyName("used")] public long Used { get; init; }
    [JsonPropertyName("available")] public long Available { get; init; }
    [JsonPropertyName("used_fraction")] public double UsedFraction { get; init; }
    [JsonPropertyName("nodes")] public required IReadOnlyList<string> Nodes { get; init; }
    [JsonPropertyName("path"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Path { get; init; }
    [JsonPropertyName("pool"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Pool { get; init; }
    [JsonPropertyName("server"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Server { get; init; }
    [JsonPropertyName("export"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Export { get; init; }
    [JsonPropertyName("vgname"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? VgName { get; init; }
    [JsonPropertyName("thinpool"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ThinPool { get; init; }
    [JsonPropertyName("connection")] public required string Connection { get; init; }
}

/// <summary>GET /api/v1/storage/{storage}/content: one volume, as the guide's backup entry (volid, content, ctime, format,
/// size, notes, protected) plus vmid and, for backups, the verification state.</summary>
public sealed record StorageContentDto(
    [property: JsonPropertyName("volid")] string VolId,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("ctime")] long? CTime,
    [property: JsonPropertyName("format")] string? Format,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("notes")] string? Notes,
    [property: JsonPropertyName("protected")] bool Protected,
    [property: JsonPropertyName("vmid")] int? VmId,
    [property: JsonPropertyName("verification"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VerificationDto? Verification,
    [property: JsonPropertyName("node")] string Node);

/// <summary>GET /api/v1/networks: the guide's interface entry. Settings the interface does not have are left out, as PVE does.</summary>
public sealed record NetworkInterfaceDto
{
    private const JsonIgnoreCondition Omit = JsonIgnoreCondition.WhenWritingNull;

    [JsonPropertyName("iface")] public required string Iface { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("active")] public bool Active { get; init; }
    [JsonPropertyName("autostart")] public bool Autostart { get; init; }
    [JsonPropertyName("bridge_ports"), JsonIgnore(Condition = Omit)] public string? BridgePorts { get; init; }
    [JsonPropertyName("bridge_stp"), JsonIgnore(Condition = Omit)] public string? BridgeStp { get; init; }
    [JsonPropertyName("bridge_fd"), JsonIgnore(Condition = Omit)] public int? BridgeFd { get; init; }
    [JsonPropertyName("bridge_vlan_aware"), JsonIgnore(Condition = Omit)] public bool? BridgeVlanAware { get; init; }
    [JsonPropertyName("bridge_vids"), JsonIgnore(Condition = Omit)] public string? BridgeVids { get; init; }
    [JsonPropertyName("slaves"), JsonIgnore(Condition = Omit)] public string? Slaves { get; init; }
    [JsonPropertyName("bond_mode"), JsonIgnore(Condition = Omit)] public string? BondMode { get; init; }
    [JsonPropertyName("vlan-raw-device"), JsonIgnore(Condition = Omit)] public string? VlanRawDevice { get; init; }
    [JsonPropertyName("vlan-id"), JsonIgnore(Condition = Omit)] public int? VlanId { get; init; }
    [JsonPropertyName("address"), JsonIgnore(Condition = Omit)] public string? Address { get; init; }
    [JsonPropertyName("netmask"), JsonIgnore(Condition = Omit)] public string? Netmask { get; init; }
    [JsonPropertyName("cidr"), JsonIgnore(Condition = Omit)] public string? Cidr { get; init; }
    [JsonPropertyName("gateway"), JsonIgnore(Condition = Omit)] public string? Gateway { get; init; }
    [JsonPropertyName("address6"), JsonIgnore(Condition = Omit)] public string? Address6 { get; init; }
    [JsonPropertyName("cidr6"), JsonIgnore(Condition = Omit)] public string? Cidr6 { get; init; }
    [JsonPropertyName("gateway6"), JsonIgnore(Condition = Omit)] public string? Gateway6 { get; init; }
    [JsonPropertyName("mtu"), JsonIgnore(Condition = Omit)] public int? Mtu { get; init; }
    [JsonPropertyName("families")] public required IReadOnlyList<string> Families { get; init; }
    [JsonPropertyName("method"), JsonIgnore(Condition = Omit)] public string? Method { get; init; }
    [JsonPropertyName("method6"), JsonIgnore(Condition = Omit)] public string? Method6 { get; init; }
    [JsonPropertyName("comments"), JsonIgnore(Condition = Omit)] public string? Comments { get; init; }
    [JsonPropertyName("node")] public required string Node { get; init; }
    [JsonPropertyName("connection")] public required string Connection { get; init; }
}

/// <summary>GET /api/v1/sdn/vnets: the guide's VNet entry; ipam and mac come from the VNet's zone (null when it has none).</summary>
public sealed record SdnVnetDto(
    [property: JsonPropertyName("vnet")] string Vnet,
    [property: JsonPropertyName("zone")] string Zone,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("tag")] int? Tag,
    [property: JsonPropertyName("alias")] string? Alias,
    [property: JsonPropertyName("ipam")] string? Ipam,
    [property: JsonPropertyName("mac")] string? Mac,
    [property: JsonPropertyName("vlanaware")] bool VlanAware,
    [property: JsonPropertyName("zonetype")] string? ZoneType,
    [property: JsonPropertyName("connection")] string Connection);
