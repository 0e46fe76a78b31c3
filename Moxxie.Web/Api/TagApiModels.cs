using System.Text.Json.Serialization;
using Moxxie.Core.Tags;

namespace Moxxie.Web.Api;

/// <summary>GET /api/v1/tags/{name}: the tag as GET /tags lists it, its guests, their spread and the related tags.</summary>
public sealed record TagDetailsDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("color")] string Color,
    [property: JsonPropertyName("stored")] bool Stored,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("vms")] IReadOnlyList<TagVmDto> Vms,
    [property: JsonPropertyName("byStatus")] IReadOnlyDictionary<string, int> ByStatus,
    [property: JsonPropertyName("byNode")] IReadOnlyDictionary<string, int> ByNode,
    [property: JsonPropertyName("related")] IReadOnlyList<RelatedTagDto> Related)
{
    public static TagDetailsDto From(TagDetails d) => new(
        d.Tag.Name, d.Tag.Count, d.Tag.Category, d.Tag.Color, d.Tag.Stored, d.Tag.Description,
        [.. d.Vms.Select(v => new TagVmDto(v.VmId, v.Name, v.Node, v.Status, v.Guest.Type.ToString().ToLowerInvariant(), v.Connection, v.Guest.Tags))],
        d.ByStatus.ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal),
        d.ByNode.ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal),
        [.. d.Related.Select(r => new RelatedTagDto(r.Name, r.Together, r.Count))]);
}

/// <summary>A guest carrying the tag.</summary>
public sealed record TagVmDto(
    [property: JsonPropertyName("vmId")] int VmId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("connection")] string Connection,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>A tag found on the same guests: <c>together</c> of them carry it, <c>count</c> guests in all.</summary>
public sealed record RelatedTagDto(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("together")] int Together,
    [property: JsonPropertyName("count")] int Count);
