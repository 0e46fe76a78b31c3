using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>How the VM list hands a selection to the bulk wizard, in the wizard's URL (so a reload or a shared link keeps it):
/// <c>/bulk/new?op=stop&amp;vms=101,102</c> for checked VMs (<c>connection/vmid</c> when several connections are configured),
/// or <c>/bulk/new?op=stop&amp;all=1&amp;expr=…&amp;node=…&amp;q=…&amp;status=…</c> for "every VM matching the list's filters", which the
/// wizard resolves again when it plans (a VM that starts matching meanwhile is included).</summary>
public static class BulkWizardLink
{
    public const string Path = "bulk/new";

    /// <summary>The wizard for checked VMs (keys as <see cref="VmListRow.Key"/>: connection/vmid).</summary>
    public static string ForVms(string operation, IEnumerable<string> vmKeys, bool multiConnection)
    {
        var keys = vmKeys.Select(k => multiConnection ? k : k[(k.LastIndexOf('/') + 1)..])
            .OrderBy(k => k, StringComparer.Ordinal);
        return QueryHelpers.AddQueryString(Path, new Dictionary<string, string?>
        {
            ["op"] = operation,
            ["vms"] = string.Join(',', keys),
        });
    }

    /// <summary>The wizard for every VM matching the list's filters ("all matching").</summary>
    public static string ForFilter(string operation, VmListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pairs = new List<KeyValuePair<string, string?>> { new("op", operation), new("all", "1") };
        if (TagExpression(query) is { } expr) pairs.Add(new("expr", expr));
        if (query.Node is { } node) pairs.Add(new("node", node));
        if (query.Name is { } name) pairs.Add(new("q", name));
        if (query.Status is { } status) pairs.Add(new("status", status));
        return QueryHelpers.AddQueryString(Path, pairs);
    }

    /// <summary>The list's tag chips (every one required) and its tag expression as one expression.</summary>
    public static string? TagExpression(VmListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = (query.Tags ?? []).ToList();
        if (!string.IsNullOrWhiteSpace(query.Expression)) parts.Add(parts.Count == 0 ? query.Expression.Trim() : $"({query.Expression.Trim()})");
        return parts.Count == 0 ? null : string.Join(" AND ", parts);
    }

    /// <summary>Reads <c>vms=</c>: VM ids, each optionally <c>connection/vmid</c>; unreadable entries are skipped.</summary>
    public static IReadOnlyList<VmRef> ParseVms(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return [];
        var refs = new List<VmRef>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = part.LastIndexOf('/');
            var connection = slash > 0 ? part[..slash] : null;
            if (int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var vmid) && vmid > 0)
                refs.Add(new VmRef(vmid, connection));
        }
        return [.. refs.Distinct()];
    }
}
