using Moxxie.Core.Vms;

namespace Moxxie.Core.Tags;

/// <summary>A tag in Moxxie's catalogue: the category and colour Moxxie shows for it (PVE knows only tag names). Name is
/// the lower-case PVE tag.</summary>
public sealed class TagCatalogEntry
{
    public required string Name { get; set; }
    public required string Category { get; set; }
    /// <summary>Hex colour, <c>#rrggbb</c>.</summary>
    public required string Color { get; set; }
    /// <summary>What the tag means (who owns it, what relies on it); optional.</summary>
    public string? Description { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>A tag as the Tags page and GET /api/v1/tags show it: how many guests carry it, its category and colour (stored
/// in the catalogue, or suggested from its prefix when <see cref="Stored"/> is false) and description.</summary>
public sealed record TagCatalogView(string Name, int Count, string Category, string Color, bool Stored, string? Description = null);

/// <summary>A value and how many VMs have it (a tag's VMs per status or per node).</summary>
public sealed record TagCount(string Key, int Count);

/// <summary>A tag found together with another: <see cref="Together"/> of the other tag's VMs carry it too.</summary>
public sealed record RelatedTag(string Name, int Together, int Count);

/// <summary>One tag's page: its catalogue view, the guests carrying it (templates included), how they spread over
/// statuses and nodes, and the tags most often found with it (co-occurrence).</summary>
public sealed record TagDetails(
    TagCatalogView Tag, IReadOnlyList<VmView> Vms, IReadOnlyList<TagCount> ByStatus, IReadOnlyList<TagCount> ByNode, IReadOnlyList<RelatedTag> Related);
