using System.Text.Json.Serialization;

namespace Moxxie.Infrastructure.Proxmox.Wire;

internal sealed record SdnZoneDto(string? Zone, string? Type, string? Bridge, string? Ipam, string? Dhcp, string? Nodes, int? Mtu, int? Tag,
    string? State, string? Digest, string? Mac);

internal sealed record SdnVnetDto(string? Vnet, string? Zone, int? Tag, string? Alias, bool? VlanAware,
    [property: JsonPropertyName("isolate-ports")] bool? IsolatePorts, string? State, string? Digest);

internal sealed record SdnSubnetDto(string? Id, string? Subnet, string? Cidr, string? Vnet, string? Zone, string? Gateway, bool? Snat,
    [property: JsonPropertyName("dhcp-range")] System.Text.Json.JsonElement? DhcpRange,
    [property: JsonPropertyName("dnszoneprefix")] string? DnsZonePrefix, string? State);

internal sealed record PoolDto(string? PoolId, string? Comment, List<PoolMemberDto>? Members);

internal sealed record PoolMemberDto(string? Id, string? Type, string? Node, int? VmId, string? Storage, string? Name, string? Status);

internal sealed record HaResourceDto(string? Sid, string? Type, string? State, string? Group,
    [property: JsonPropertyName("max_restart")] int? MaxRestart,
    [property: JsonPropertyName("max_relocate")] int? MaxRelocate, string? Comment, string? Digest);

internal sealed record HaStatusDto(string? Id, string? Type, string? Node, string? Status, string? State, string? Sid, bool? Quorate,
    [property: JsonPropertyName("crm_state")] string? CrmState,
    [property: JsonPropertyName("request_state")] string? RequestState, long? Timestamp);
