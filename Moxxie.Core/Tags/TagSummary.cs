namespace Moxxie.Core.Tags;

/// <summary>A tag in use: how many guests carry it, its category and colour (GET /api/v1/tags, the tag filter).</summary>
public sealed record TagSummary(string Name, int Count, TagCategory Category, string Color)
{
    public string CategoryName => TagCategories.Name(Category);
}
