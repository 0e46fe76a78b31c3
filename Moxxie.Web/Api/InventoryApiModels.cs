using System.Text.Json.Serialization;

namespace Moxxie.Web.Api;

// Inventory response shapes of /api/v1 (issue 4), named as in the UI guide.

/// <summary>The guide's "List Response with Metadata": <c>{data, pagination, filters}</c>.</summary>
public sealed record PagedResponse<T>(
    [property: JsonPropertyName("data")] IReadOnlyList<T> Data,
    [property: JsonPropertyName("pagination")] PaginationDto Pagination,
    [property: JsonPropertyName("filters")] FiltersDto Filters);

public sealed record PaginationDto(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("pageSize")] int PageSize,
    [property: JsonPropertyName("hasNext")] bool HasNext,
    [property: JsonPropertyName("hasPrevious")] bool HasPrevious);

/// <summary>Applied filters as "name:value" ("status:running", "tag:env-prod").</summary>
public sealed record FiltersDto([property: JsonPropertyName("applied")] IReadOnlyList<string> Applied);

/// <summary>GET /api/v1/tags: a tag in use with its guest count, category and colour.</summary>
public sealed record TagDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("color")] string Color)
{
    /// <summary>True when the category and colour come from Moxxie's catalogue, false when suggested from the prefix.</summary>
    [JsonPropertyName("stored")] public bool Stored { get; init; }

    /// <summary>The catalogue's description of the tag, when it has one.</summary>
    [JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; init; }
}

/// <summary>GET /api/v1/cluster/resources: one entry of PVE's /cluster/resources (guests as "qemu"/"lxc", "node",
/// "storage"), fields that do not apply to the type are left out.</summary>
public sealed record ResourceDto
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("node")] public required string Node { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; init; }
    [JsonPropertyName("vmid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? VmId { get; init; }
    [JsonPropertyName("storage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Storage { get; init; }
    [JsonPropertyName("cpu"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Cpu { get; init; }
    [JsonPropertyName("maxcpu"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? MaxCpu { get; init; }
    [JsonPropertyName("mem"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Mem { get; init; }
    [JsonPropertyName("maxmem"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? MaxMem { get; init; }
    [JsonPropertyName("disk")] public long Disk { get; init; }
    [JsonPropertyName("maxdisk")] public long MaxDisk { get; init; }
    [JsonPropertyName("uptime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? Uptime { get; init; }
    [JsonPropertyName("template"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Template { get; init; }
    [JsonPropertyName("tags"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Tags { get; init; }
    [JsonPropertyName("level"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Level { get; init; }
    [JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Content { get; init; }
    [JsonPropertyName("shared"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Shared { get; init; }
    [JsonPropertyName("plugintype"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PluginType { get; init; }
    [JsonPropertyName("connection")] public required string Connection { get; init; }
}
