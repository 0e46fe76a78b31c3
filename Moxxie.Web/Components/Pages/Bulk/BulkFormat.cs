using System.Globalization;
using Moxxie.Core.Bulk;

namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>How the bulk screens write durations, operations and statuses.</summary>
public static class BulkFormat
{
    public static string Duration(double? seconds) => seconds switch
    {
        null => "—",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(seconds.Value, seconds < 10 ? 1 : 0):0.#} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds.Value / 60)} min {(int)(seconds.Value % 60)} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds.Value / 3600)} h {(int)(seconds.Value % 3600 / 60)} min"),
    };

    /// <summary>"Stop", "Snapshot", "Add tags" … from the engine's kind and action.</summary>
    public static string Operation(string kind, string action) => kind switch
    {
        BulkKinds.Power => BulkOperationKinds.Title(action.ToLowerInvariant()),
        BulkKinds.Tags => action.Contains("remove", StringComparison.OrdinalIgnoreCase) ? "Remove tags" : "Add tags",
        BulkKinds.Snapshot => "Snapshot",
        BulkKinds.Backup => "Backup",
        BulkKinds.Delete => "Delete",
        BulkKinds.Create => "Create VMs",
        BulkKinds.SnapshotDelete => "Delete snapshots",
        _ => kind,
    };

    /// <summary>The colour of a status chip (success, warning, danger, info, neutral).</summary>
    public static string StatusStyle(string status) => status switch
    {
        BulkTaskStatus.Succeeded or BulkStatus.Completed => "success",
        BulkTaskStatus.Failed => "danger",
        BulkTaskStatus.Running or BulkStatus.Queued => "info",
        BulkTaskStatus.Skipped or BulkTaskStatus.Cancelled or BulkStatus.Aborted => "warning",
        _ => "neutral",
    };

    public static string When(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";
}
