using System.Text.Json.Serialization;

namespace Moxxie.Infrastructure.Proxmox.Wire;

// PVE wire shapes (internal; mapped to Moxxie.Core.Proxmox records in ProxmoxMapper). Every property is nullable:
// PVE omits fields freely and their JSON types vary between releases.

internal sealed record VersionDto(string? Version, string? Release, string? RepoId);

internal sealed record TicketDto(
    string? Username,
    string? Ticket,
    [property: JsonPropertyName("CSRFPreventionToken")] string? CsrfPreventionToken,
    string? ClusterName,
    System.Text.Json.JsonElement? Cap = null);

internal sealed record ClusterStatusDto(
    string? Type,
    string? Id,
    string? Name,
    int? Version,
    bool? Quorate,
    int? Nodes,
    int? NodeId,
    bool? Online,
    string? Ip,
    bool? Local,
    string? Level);

internal sealed record ResourceDto(
    string? Id,
    string? Type,
    int? VmId,
    string? Name,
    string? Node,
    string? Status,
    string? QmpStatus,
    double? Cpu,
    double? MaxCpu,
    long? Mem,
    long? MaxMem,
    long? Disk,
    long? MaxDisk,
    long? NetIn,
    long? NetOut,
    long? DiskRead,
    long? DiskWrite,
    long? Uptime,
    bool? Template,
    string? Tags,
    string? Lock,
    string? HaState,
    string? Pool,
    string? Level,
    string? Storage,
    string? Content,
    bool? Shared,
    string? PluginType,
    string? Sdn = null,
    [property: JsonPropertyName("zone-type")] string? ZoneType = null);

internal sealed record TaskDto(
    string? Upid,
    string? Node,
    string? Type,
    string? Id,
    string? User,
    string? TokenId,
    long? StartTime,
    long? EndTime,
    string? Status,
    string? ExitStatus,
    int? Pid,
    long? PStart);

internal sealed record TaskLogLineDto(int? N, string? T);

/// <summary>One entry of GET /nodes/{node}/qemu (?full=1 adds qmpstatus for running VMs).</summary>
internal sealed record NodeGuestDto(int? VmId, string? Status, string? QmpStatus, string? Lock);
