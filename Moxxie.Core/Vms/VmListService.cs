using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Vms;

/// <summary>The VM list: filters, sorts and pages the shared rows of <see cref="VmRowCache"/> (no PVE round-trip).
/// The page, the CSV export and the API use the same filter semantics as <see cref="VmService.List"/>.</summary>
public sealed class VmListService(InventoryHub hub, VmRowCache cache, IProxmoxConnections? connections = null)
{
    /// <summary>Every guest's row (templates included), all connections, in VMID order.</summary>
    public IReadOnlyList<VmListRow> All() => Estate().Sorted(VmColumn.VmId, false);

    /// <summary>The shared rows of every loaded connection right now (built once per poll for all circuits).</summary>
    public VmEstate Estate() => cache.Estate([.. hub.Snapshots.Where(s => s.Loaded)]);

    /// <summary>Rows matching the query's filters in its sort order (every page).</summary>
    public IReadOnlyList<VmListRow> Matching(VmFilter filter, VmColumn sort = VmColumn.VmId, bool descending = false)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return [.. Estate().Sorted(sort, descending).Where(Predicate(filter))];
    }

    /// <summary>One page of the view: one pass over the estate's rows already sorted in the query's order (a name filter:
    /// over the rows its name index found).</summary>
    public VmListResult Query(VmListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var estate = Estate();
        var sorted = estate.Sorted(query.Sort, query.Descending);
        // A name filter starts from the order's name index (the rows whose name matches), the other filters then look at
        // those rows only; without one, or when the index cannot answer, one pass over every row.
        var candidates = string.IsNullOrWhiteSpace(query.Name) ? null : estate.WithName(query.Sort, query.Descending, query.Name.Trim());
        IReadOnlyList<VmListRow> matching = !query.HasFilters ? sorted : [.. (candidates ?? sorted).Where(Predicate(query.Filter))];
        var pageSize = query.PageSize;
        var pageCount = pageSize <= 0 ? 1 : Math.Max(1, (matching.Count + pageSize - 1) / pageSize);
        var page = Math.Clamp(query.Page, 1, pageCount);
        IReadOnlyList<VmListRow> rows = pageSize <= 0 ? matching : [.. matching.Skip((page - 1) * pageSize).Take(pageSize)];
        var configured = connections?.All.Count ?? hub.Snapshots.Count;
        return new VmListResult(rows, matching.Count, estate.Rows.Count, page, pageSize, estate.Tags, estate.Nodes)
        {
            Connections = configured,
            Loading = configured > 0 && hub.Snapshots.Count == 0,
        };
    }

    /// <summary>The filter of GET /api/v1/vms: every listed tag (case-insensitive), status (exact, case-insensitive), node, name
    /// substring, connection, tag expression; templates unless excluded.</summary>
    public static Func<VmListRow, bool> Predicate(VmFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var tags = filter.Tags?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToArray() ?? [];
        var status = Clean(filter.Status);
        var node = Clean(filter.Node);
        var name = Clean(filter.Name);
        var connection = Clean(filter.Connection);
        var expression = filter.CompileTagExpression();
        return r =>
            (filter.IncludeTemplates || !r.Template)
            && (status is null || string.Equals(r.Status, status, StringComparison.OrdinalIgnoreCase))
            && (node is null || string.Equals(r.Node, node, StringComparison.OrdinalIgnoreCase))
            && (connection is null || string.Equals(r.Connection, connection, StringComparison.OrdinalIgnoreCase))
            && (name is null || r.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
            && (tags.Length == 0 || tags.All(t => r.Tags.Contains(t, StringComparer.OrdinalIgnoreCase)))
            && (expression is null || expression.Matches(r.Tags));
    }

    /// <summary>Stable sort by one column, then by VMID and connection.</summary>
    public static IReadOnlyList<VmListRow> Sort(IEnumerable<VmListRow> rows, VmColumn column, bool descending)
    {
        IOrderedEnumerable<VmListRow> ordered = column switch
        {
            VmColumn.Status => By(rows, r => r.Status, StringComparer.Ordinal, descending),
            VmColumn.Name => By(rows, r => r.Name, NaturalComparer, descending),
            VmColumn.Node => By(rows, r => r.Node, NaturalComparer, descending),
            VmColumn.Cpu => By(rows, r => r.Running ? r.Cpu : -1, Comparer<double>.Default, descending),
            VmColumn.Memory => By(rows, r => r.Running ? r.Mem : -1, Comparer<long>.Default, descending),
            VmColumn.Disk => By(rows, r => r.MaxDisk, Comparer<long>.Default, descending),
            VmColumn.Network => By(rows, r => r.NetRate, Comparer<double>.Default, descending),
            VmColumn.Uptime => By(rows, r => r.Uptime, Comparer<long>.Default, descending),
            VmColumn.Tags => By(rows, r => string.Join(' ', r.Tags), StringComparer.Ordinal, descending),
            _ => By(rows, r => r.VmId, Comparer<int>.Default, descending),
        };
        return [.. ordered.ThenBy(r => r.VmId).ThenBy(r => r.Connection, StringComparer.Ordinal)];
    }

    private static IOrderedEnumerable<VmListRow> By<T>(IEnumerable<VmListRow> rows, Func<VmListRow, T> key, IComparer<T> comparer, bool descending) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);

    /// <summary>"web-2" before "web-10".</summary>
    private static readonly IComparer<string> NaturalComparer = Network.NaturalOrder.Instance;

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
