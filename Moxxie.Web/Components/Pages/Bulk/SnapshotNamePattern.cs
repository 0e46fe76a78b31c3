using System.Text.RegularExpressions;
using Moxxie.Core.Bulk;

namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>The live preview of a bulk snapshot's name pattern: {vm} (the VM's name made snapshot-safe), {vmid}, {date}
/// (yyyyMMdd), {time} (HHmmss), {datetime} (yyyyMMdd-HHmmss), UTC — the engine's placeholders (BulkSnapshotParameters);
/// rendered by the engine's own <see cref="BulkRules.SnapshotName"/>; the plan shows the names the engine proposes.</summary>
public static partial class SnapshotNamePattern
{
    public static readonly IReadOnlyList<string> Placeholders = ["{vm}", "{vmid}", "{date}", "{time}", "{datetime}"];

    [GeneratedRegex(@"\{[^{}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>The name the engine gives a VM (<see cref="BulkRules.SnapshotName"/>), trimmed as the engine trims the pattern.</summary>
    public static string Render(string pattern, string vmName, int vmId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return BulkRules.SnapshotName(pattern.Trim(), vmName, vmId, now);
    }

    /// <summary>The first {…} that is not a known placeholder, or null.</summary>
    public static string? UnknownPlaceholder(string pattern) =>
        Placeholder().Matches(pattern ?? "").Select(m => m.Value).FirstOrDefault(p => !Placeholders.Contains(p, StringComparer.OrdinalIgnoreCase));
}
