namespace Moxxie.Core.Vms;

/// <summary>Columns of the VM list a user can sort by or hide (selection and actions are always shown).</summary>
public enum VmColumn { Status, VmId, Name, Node, Cpu, Memory, Disk, Network, Uptime, Tags }

/// <summary>
/// What the VM list shows: the filters (the same as GET /api/v1/vms and the CSV export), the sort and the page.
/// In URLs: status, tag (repeatable), node, q, sort (a <see cref="VmColumn"/> name, lower case), dir (asc|desc), page
/// (1-based), size (0 = all rows, virtual scrolling), expr (a tag expression, <see cref="Expression"/>).
/// </summary>
public sealed record VmListQuery(
    string? Status = null,
    IReadOnlyList<string>? Tags = null,
    string? Node = null,
    string? Name = null,
    VmColumn Sort = VmColumn.VmId,
    bool Descending = false,
    int Page = 1,
    int PageSize = VmListQuery.DefaultPageSize,
    string? Expression = null)
{
    public const int DefaultPageSize = 50;

    /// <summary>Page sizes offered; 0 means every matching row on one virtually scrolled page.</summary>
    public static readonly IReadOnlyList<int> PageSizes = [25, 50, 100, 250, 500, 0];

    public VmFilter Filter => new(Tags: Tags is { Count: > 0 } ? Tags : null, Status: Status, Node: Node, Name: Name, TagExpression: Clean(Expression));

    public bool HasFilters => !string.IsNullOrWhiteSpace(Status) || Tags is { Count: > 0 } || !string.IsNullOrWhiteSpace(Node) || !string.IsNullOrWhiteSpace(Name)
        || !string.IsNullOrWhiteSpace(Expression);

    /// <summary>From URL values; unknown sort/dir/page/size fall back to the defaults (a shared link never errors).</summary>
    public static VmListQuery FromUrl(string? status, IEnumerable<string?>? tags, string? node, string? q, string? sort, string? dir, string? page, string? size)
    {
        var column = Enum.TryParse<VmColumn>(sort, ignoreCase: true, out var c) && Enum.IsDefined(c) ? c : VmColumn.VmId;
        var pageNumber = int.TryParse(page, out var p) && p >= 1 ? p : 1;
        var pageSize = int.TryParse(size, out var s) && PageSizes.Contains(s) ? s : DefaultPageSize;
        return new VmListQuery(
            Clean(status),
            [.. (tags ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)],
            Clean(node),
            Clean(q),
            column,
            string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase),
            pageNumber,
            pageSize);
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>One page of the VM list: the rows to show, how many match the filters, how many guests there are at all, and
/// the values the filter bar offers (tags with their counts, nodes).</summary>
public sealed record VmListResult(
    IReadOnlyList<VmListRow> Rows,
    int Matching,
    int Total,
    int Page,
    int PageSize,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Nodes)
{
    public static VmListResult Empty { get; } = new([], 0, 0, 1, VmListQuery.DefaultPageSize, [], []) { Loading = true };

    /// <summary>How many PVE connections are configured (0: nothing to show yet, point at Settings).</summary>
    public int Connections { get; init; }

    /// <summary>Connections are configured but none has been polled yet (show skeletons).</summary>
    public bool Loading { get; init; }

    public int PageCount => PageSize <= 0 ? 1 : Math.Max(1, (Matching + PageSize - 1) / PageSize);

    /// <summary>1-based index of the first row shown (0 when none).</summary>
    public int First => Rows.Count == 0 ? 0 : PageSize <= 0 ? 1 : (Page - 1) * PageSize + 1;

    public int Last => Rows.Count == 0 ? 0 : First + Rows.Count - 1;

    /// <summary>True when <paramref name="other"/> shows the very same row instances, counts and facets: nothing to re-render.</summary>
    public bool SameAs(VmListResult other) =>
        Matching == other.Matching && Total == other.Total && Connections == other.Connections && Loading == other.Loading && Page == other.Page && PageSize == other.PageSize
        && Rows.Count == other.Rows.Count && (ReferenceEquals(Rows, other.Rows) || Rows.Zip(other.Rows).All(p => ReferenceEquals(p.First, p.Second)))
        && (ReferenceEquals(Tags, other.Tags) || Tags.SequenceEqual(other.Tags, StringComparer.Ordinal))
        && (ReferenceEquals(Nodes, other.Nodes) || Nodes.SequenceEqual(other.Nodes, StringComparer.Ordinal));
}
