using System.Text.Json.Serialization;

namespace Moxxie.Web.Api;

// Response shapes of /api/v1, named as in the UI guide (PVE-style lower-case keys).

public sealed record ClusterStatusResponse(
    [property: JsonPropertyName("cluster")] ClusterSummaryDto Cluster,
    [property: JsonPropertyName("nodes")] IReadOnlyList<ClusterNodeDto> Nodes);

public sealed record ClusterSummaryDto(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("version")] int? Version,
    [property: JsonPropertyName("nodes")] int Nodes,
    [property: JsonPropertyName("quorate")] bool Quorate);

public sealed record ClusterNodeDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("online")] bool Online,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("ip")] string? Ip,
    [property: JsonPropertyName("local")] bool Local);

public sealed record VmDto(
    [property: JsonPropertyName("vmid")] int VmId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("cpu")] double Cpu,
    [property: JsonPropertyName("cpus")] int Cpus,
    [property: JsonPropertyName("mem")] long Mem,
    [property: JsonPropertyName("maxmem")] long MaxMem,
    [property: JsonPropertyName("disk")] long Disk,
    [property: JsonPropertyName("maxdisk")] long MaxDisk,
    [property: JsonPropertyName("netin")] long NetIn,
    [property: JsonPropertyName("netout")] long NetOut,
    [property: JsonPropertyName("diskread")] long DiskRead,
    [property: JsonPropertyName("diskwrite")] long DiskWrite,
    [property: JsonPropertyName("uptime")] long Uptime,
    [property: JsonPropertyName("template")] bool Template,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("lock")] string? Lock,
    [property: JsonPropertyName("hastate")] string? HaState,
    [property: JsonPropertyName("connection")] string Connection);

public sealed record TaskDto(
    [property: JsonPropertyName("upid")] string Upid,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("pstart")] long? PStart,
    [property: JsonPropertyName("starttime")] long StartTime,
    [property: JsonPropertyName("endtime")] long? EndTime,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("exitstatus")] string? ExitStatus,
    [property: JsonPropertyName("connection")] string Connection);

public sealed record TaskAcceptedResponse(
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("message")] string Message);

public sealed record CreateTokenRequest(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("expiresInDays")] int? ExpiresInDays);

public sealed record ApiTokenDto(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("expiresAt")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("lastUsedAt")] DateTimeOffset? LastUsedAt,
    [property: JsonPropertyName("revokedAt")] DateTimeOffset? RevokedAt);

public sealed record CreatedTokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("details")] ApiTokenDto Details);
