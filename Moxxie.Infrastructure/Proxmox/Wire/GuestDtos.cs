using System.Text.Json.Serialization;

namespace Moxxie.Infrastructure.Proxmox.Wire;

/// <summary>GET /nodes/{node}/{qemu|lxc} entries and …/status/current (PVE 6 sends vmid/pid/disk as strings, template as "").</summary>
internal sealed record GuestStatusDto(
    int? VmId,
    string? Name,
    string? Status,
    string? QmpStatus,
    double? Cpu,
    double? Cpus,
    long? Mem,
    long? MaxMem,
    long? Balloon,
    long? Disk,
    long? MaxDisk,
    long? NetIn,
    long? NetOut,
    long? DiskRead,
    long? DiskWrite,
    long? Uptime,
    bool? Template,
    bool? Agent,
    string? Tags,
    string? Lock,
    int? Pid,
    HaDto? Ha,
    [property: JsonPropertyName("running-machine")] string? RunningMachine,
    [property: JsonPropertyName("running-qemu")] string? RunningQemu);

internal sealed record HaDto(bool? Managed, string? State);

internal sealed record PendingDto(string? Key, string? Value, string? Pending, bool? Delete);

internal sealed record SnapshotDto(string? Name, string? Parent, string? Description, long? SnapTime, bool? VmState, bool? Running);

internal sealed record MigrateDto(
    bool? Running,
    [property: JsonPropertyName("allowed_nodes")] List<string>? AllowedNodes,
    [property: JsonPropertyName("not_allowed_nodes")] System.Text.Json.JsonElement? NotAllowedNodes,
    [property: JsonPropertyName("local_disks")] List<LocalDiskDto>? LocalDisks,
    [property: JsonPropertyName("local_resources")] List<string>? LocalResources,
    [property: JsonPropertyName("mapped-resources")] List<string>? MappedResources);

internal sealed record LocalDiskDto(string? VolId, long? Size, bool? Cdrom, [property: JsonPropertyName("is_unused")] bool? IsUnused);

internal sealed record VncProxyDto(int? Port, string? Ticket, string? Password, string? Cert, string? User, string? Upid);

internal sealed record VncWebSocketDto(int? Port);
