using System.Text.RegularExpressions;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>The wizard's count and preview list of the VMs a selection names, from the shared inventory rows (no PVE
/// call): templates are never selected, a tag expression and the list's filters mean what they mean in the VM list, a name
/// pattern is a whole-name glob (<c>*</c> any characters, <c>?</c> one; case-insensitive). The plan is the engine's truth:
/// it resolves the selection again when it plans.</summary>
public static class BulkTargetPreview
{
    public static IReadOnlyList<VmListRow> Resolve(BulkWizardForm form, IReadOnlyList<VmListRow> rows)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(rows);
        IEnumerable<VmListRow> guests = rows.Where(r => !r.Template);
        switch (form.Mode)
        {
            case BulkTargetMode.Checked:
                var keys = form.Checked.ToLookup(r => r.VmId);
                return [.. guests.Where(r => keys[r.VmId].Any(k => k.Connection is null || k.Connection == r.Connection))];
            case BulkTargetMode.TagExpression:
                if (string.IsNullOrWhiteSpace(form.TagExpression)) return [];
                try
                {
                    return [.. guests.Where(VmListService.Predicate(new VmFilter(TagExpression: form.TagExpression)))];
                }
                catch (Core.Validation.ValidationException)
                {
                    return [];
                }
            case BulkTargetMode.NamePattern:
                if (string.IsNullOrWhiteSpace(form.NamePattern)) return [];
                var glob = Glob(form.NamePattern.Trim());
                return [.. guests.Where(r => glob.IsMatch(r.Name))];
            case BulkTargetMode.Node:
                return string.IsNullOrWhiteSpace(form.Node) ? [] : [.. guests.Where(r => r.Node == form.Node)];
            case BulkTargetMode.ListFilter:
                try
                {
                    return form.ListFilter is { } filter ? [.. guests.Where(VmListService.Predicate(filter))] : [];
                }
                catch (Core.Validation.ValidationException)
                {
                    return [];
                }
            default:
                return [.. guests];
        }
    }

    /// <summary>The ids of resolved rows, for a selection the engine takes as VMIDs.</summary>
    public static IReadOnlyList<VmRef> Refs(IEnumerable<VmListRow> rows) => [.. rows.Select(r => new VmRef(r.VmId, r.Connection))];

    /// <summary>A whole-name, case-insensitive glob, as the engine matches it.</summary>
    public static Regex Glob(string pattern) => BulkRules.Glob(pattern);
}
