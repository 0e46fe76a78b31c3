namespace Moxxie.Core.Tags;

/// <summary>A tag in Moxxie's catalogue: the category and colour Moxxie shows for it (PVE knows only tag names). Name is
/// the lower-case PVE tag.</summary>
public sealed class TagCatalogEntry
{
    public required string Name { get; set; }
    public required string Category { get; set; }
    /// <summary>Hex colour, <c>#rrggbb</c>.</summary>
    public required string Color { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>A tag as the Tags page and GET /api/v1/tags show it: how many guests carry it, its category and colour (stored
/// in the catalogue, or suggested from its prefix when <see cref="Stored"/> is false).</summary>
public sealed record TagCatalogView(string Name, int Count, string Category, string Color, bool Stored);
