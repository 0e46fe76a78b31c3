using System.Collections.Concurrent;
using Moxxie.Core.Inventory;

namespace Moxxie.Core.Vms;

/// <summary>
/// Every connection's VM list rows at one moment (one set of inventory snapshots), shared by all circuits: the rows, the
/// filter bar's facets and, computed once per sort order on first use, the rows sorted. Filtering a sorted array keeps
/// its order, so a circuit's query is a single pass. Immutable; replaced when any snapshot changes.
/// </summary>
public sealed class VmEstate
{
    private readonly ConcurrentDictionary<(VmColumn, bool), VmListRow[]> _sorted = new();

    internal VmEstate(IReadOnlyList<InventorySnapshot> snapshots, IReadOnlyList<VmListRow> rows)
    {
        Snapshots = snapshots;
        Rows = rows;
        Tags = [.. rows.SelectMany(r => r.Tags).Distinct(StringComparer.OrdinalIgnoreCase).Select(t => t.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        Nodes = [.. rows.Select(r => r.Node).Distinct(StringComparer.Ordinal).Order(Network.NaturalOrder.Instance)];
    }

    public static VmEstate Empty { get; } = new([], []);

    /// <summary>The snapshots this estate was built from (loaded connections only, by connection name).</summary>
    public IReadOnlyList<InventorySnapshot> Snapshots { get; }

    /// <summary>Every guest's row (templates included), connection by connection in PVE's order.</summary>
    public IReadOnlyList<VmListRow> Rows { get; }

    /// <summary>Tags in use, lower case, sorted.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>Node names in use, natural order.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Every row in this order (computed once per order and estate).</summary>
    public IReadOnlyList<VmListRow> Sorted(VmColumn column, bool descending) =>
        _sorted.GetOrAdd((column, descending), key => [.. VmListService.Sort(Rows, key.Item1, key.Item2)]);
}
