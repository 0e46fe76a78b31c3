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
    private readonly ConcurrentDictionary<(VmColumn, bool), Order> _sorted = new();

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
    public IReadOnlyList<VmListRow> Sorted(VmColumn column, bool descending) => OrderOf(column, descending).Rows;

    /// <summary>The rows in this order whose name contains <paramref name="name"/> (case-insensitive, like the API's name
    /// filter), found in the order's name index; null when the index cannot answer (a name or the term not ASCII).</summary>
    public IReadOnlyList<VmListRow>? WithName(VmColumn column, bool descending, string name)
    {
        var order = OrderOf(column, descending);
        if (order.Names?.Matching(name) is not { } positions) return null;
        var rows = new VmListRow[positions.Count];
        for (var i = 0; i < rows.Length; i++) rows[i] = order.Rows[positions[i]];
        return rows;
    }

    /// <summary>The rows in one order and their name index, built together when the order is first asked for (after a
    /// poll that is the page's own refresh, not a filter typed later).</summary>
    private Order OrderOf(VmColumn column, bool descending) =>
        _sorted.GetOrAdd((column, descending), key =>
        {
            VmListRow[] rows = [.. VmListService.Sort(Rows, key.Item1, key.Item2)];
            return new Order(rows, VmNameIndex.For(rows));
        });

    private sealed record Order(VmListRow[] Rows, VmNameIndex? Names);
}
