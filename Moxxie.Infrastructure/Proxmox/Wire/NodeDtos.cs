using System.Text.Json.Serialization;

namespace Moxxie.Infrastructure.Proxmox.Wire;

internal sealed record NodeListDto(string? Node, string? Status, double? Cpu, double? MaxCpu, long? Mem, long? MaxMem, long? Disk, long? MaxDisk,
    long? Uptime, string? Level, [property: JsonPropertyName("ssl_fingerprint")] string? SslFingerprint);

internal sealed record NodeStatusDto(
    double? Cpu,
    double? Wait,
    long? Uptime,
    string? PveVersion,
    string? KVersion,
    [property: JsonPropertyName("current-kernel")] KernelDto? CurrentKernel,
    [property: JsonPropertyName("boot-info")] BootInfoDto? BootInfo,
    CpuInfoDto? CpuInfo,
    MemoryDto? Memory,
    MemoryDto? Swap,
    MemoryDto? RootFs,
    List<string>? LoadAvg,
    KsmDto? Ksm);

internal sealed record KernelDto(string? Release, string? Version, string? Sysname, string? Machine);

internal sealed record BootInfoDto(string? Mode, bool? SecureBoot);

internal sealed record CpuInfoDto(string? Model, int? Sockets, int? Cores, int? Cpus, double? Mhz, string? Flags);

internal sealed record MemoryDto(long? Total, long? Used, long? Free, long? Avail, long? Available);

internal sealed record KsmDto(long? Shared);

internal sealed record ServiceDto(string? Service, string? Name, string? Desc, string? State,
    [property: JsonPropertyName("active-state")] string? ActiveState,
    [property: JsonPropertyName("unit-state")] string? UnitState);

internal sealed record NetworkIfaceDto(
    string? Iface,
    string? Type,
    bool? Active,
    bool? Autostart,
    bool? Exists,
    string? Method,
    string? Method6,
    string? Address,
    string? Netmask,
    string? Cidr,
    string? Gateway,
    string? Address6,
    string? Cidr6,
    string? Gateway6,
    [property: JsonPropertyName("bridge_ports")] string? BridgePorts,
    [property: JsonPropertyName("bridge_vlan_aware")] bool? BridgeVlanAware,
    [property: JsonPropertyName("bridge_vids")] string? BridgeVids,
    string? Slaves,
    [property: JsonPropertyName("bond_mode")] string? BondMode,
    [property: JsonPropertyName("vlan-raw-device")] string? VlanRawDevice,
    [property: JsonPropertyName("vlan-id")] int? VlanId,
    int? Mtu,
    string? Comments,
    int? Priority,
    List<string>? Families,
    [property: JsonPropertyName("bridge_stp")] string? BridgeStp,
    [property: JsonPropertyName("bridge_fd")] string? BridgeFd);
