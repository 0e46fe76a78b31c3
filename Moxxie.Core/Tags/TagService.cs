using Moxxie.Core.Inventory;

namespace Moxxie.Core.Tags;

/// <summary>Tags in use across every connection's inventory (no PVE round-trip).</summary>
public sealed class TagService(InventoryHub hub)
{
    /// <summary>Every tag carried by at least one guest (templates included), most used first, then by name.
    /// PVE stores tags lower case; names are compared case-insensitively.</summary>
    public IReadOnlyList<TagSummary> Summary() =>
    [
        .. hub.Snapshots
            .SelectMany(s => s.Resources.Guests)
            .SelectMany(g => g.Tags.Distinct(StringComparer.OrdinalIgnoreCase))
            .GroupBy(t => t.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(g => new TagSummary(g.Key, g.Count(), TagCategories.Of(g.Key), TagCategories.Color(g.Key)))
            .OrderByDescending(t => t.Count)
            .ThenBy(t => t.Name, StringComparer.Ordinal),
    ];
}
