using Moxxie.Core.Inventory;
using Moxxie.Core.Vms;

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

    /// <summary>Guests (templates included) carrying <paramref name="tag"/> (case-insensitive), by VMID then connection.</summary>
    public IReadOnlyList<VmView> Carrying(string tag)
    {
        var t = (tag ?? "").Trim();
        return
        [
            .. hub.Snapshots
                .SelectMany(s => s.Resources.Guests.Where(g => g.Tags.Contains(t, StringComparer.OrdinalIgnoreCase))
                    .Select(g => new VmView(s.Connection, g) { Metrics = s.MetricsOf(g.VmId) }))
                .OrderBy(v => v.VmId).ThenBy(v => v.Connection, StringComparer.Ordinal),
        ];
    }
}
