using System.Text;
using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Backups;

/// <summary>What PVE accepts for vzdump and prune-backups, checked before anything is sent; and the reading of the
/// configuration file PVE extracts from an archive.</summary>
public static partial class BackupRules
{
    public static readonly IReadOnlyList<string> Modes = ["snapshot", "suspend", "stop"];

    /// <summary>Compression as the UI and API name it; "none" is PVE's "0".</summary>
    public static readonly IReadOnlyList<string> Compressions = ["zstd", "lzo", "gzip", "none"];

    /// <summary>PVE's notes-template limit (after escaping newlines and backslashes).</summary>
    public const int MaxNotesTemplate = 1024;

    /// <summary>Largest keep-* count Moxxie sends (PVE has no upper bound; this catches typos).</summary>
    public const int MaxKeep = 100_000;

    private static readonly string[] NotesVariables = ["cluster", "guestname", "node", "vmid"];

    public static string? ModeError(string? mode) =>
        mode is null || Modes.Contains(mode, StringComparer.Ordinal) ? null : $"Must be one of {string.Join(", ", Modes)}.";

    public static string? CompressError(string? compress) =>
        compress is null || Compressions.Contains(compress, StringComparer.Ordinal) ? null : $"Must be one of {string.Join(", ", Compressions)}.";

    /// <summary>PVE's value of the compress parameter.</summary>
    public static string PveCompress(string? compress) => compress is null or "none" ? "0" : compress;

    /// <summary>Plain notes as PVE's notes-template wants them: one line, newline as \n and backslash as \\ (null when empty).</summary>
    public static string? NotesTemplate(string? notes)
    {
        if (string.IsNullOrWhiteSpace(notes)) return null;
        var text = notes.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        return text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{\{([^\s{}]+)\}\}")]
    private static partial Regex TemplateVariable();

    /// <summary>Too long, or a {{variable}} PVE does not know (it refuses those).</summary>
    public static string? NotesError(string? notes)
    {
        if (NotesTemplate(notes) is not { } template) return null;
        if (template.Length > MaxNotesTemplate) return $"At most {MaxNotesTemplate} characters (newlines and backslashes count twice).";
        var unknown = TemplateVariable().Matches(template).Select(m => m.Groups[1].Value).Where(v => !NotesVariables.Contains(v)).Distinct().ToList();
        return unknown.Count > 0
            ? $"Unknown variable {string.Join(", ", unknown.Select(v => "{{" + v + "}}"))}: use {{{{cluster}}}}, {{{{guestname}}}}, {{{{node}}}} or {{{{vmid}}}}."
            : null;
    }

    /// <summary>Notes of an existing backup (PUT …/content/{volume} notes): any text up to PVE's limit.</summary>
    public static string? EditedNotesError(string? notes) =>
        notes is { Length: > MaxNotesTemplate } ? $"At most {MaxNotesTemplate} characters." : null;

    /// <summary>Per-field errors of a retention policy (keys as the API names them: keepLast, keepHourly, …).</summary>
    public static Dictionary<string, string> RetentionErrors(RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        void Check(string field, int? value)
        {
            if (value is { } n && (n < 1 || n > MaxKeep)) errors[field] = $"Must be between 1 and {MaxKeep} (leave empty for none).";
        }
        Check("keepLast", policy.KeepLast);
        Check("keepHourly", policy.KeepHourly);
        Check("keepDaily", policy.KeepDaily);
        Check("keepWeekly", policy.KeepWeekly);
        Check("keepMonthly", policy.KeepMonthly);
        Check("keepYearly", policy.KeepYearly);
        if (policy.KeepAll && HasCounts(policy)) errors["keepAll"] = "Keep all cannot be combined with other keep options.";
        return errors;
    }

    public static bool HasCounts(RetentionPolicy p) =>
        p.KeepLast is not null || p.KeepHourly is not null || p.KeepDaily is not null || p.KeepWeekly is not null || p.KeepMonthly is not null || p.KeepYearly is not null;

    /// <summary>"keep last 3, daily 7, weekly 4" / "keep all" / "none".</summary>
    public static string Describe(RetentionPolicy? p)
    {
        if (p is null) return "no policy (nothing is pruned)";
        if (p.KeepAll) return "keep all";
        var parts = new List<string>();
        void Add(string label, int? v) { if (v is { } n) parts.Add($"{label} {n}"); }
        Add("last", p.KeepLast);
        Add("hourly", p.KeepHourly);
        Add("daily", p.KeepDaily);
        Add("weekly", p.KeepWeekly);
        Add("monthly", p.KeepMonthly);
        Add("yearly", p.KeepYearly);
        return parts.Count == 0 ? "keep all" : "keep " + string.Join(", ", parts);
    }

    /// <summary>
    /// Reads the configuration PVE extracts from an archive (qemu-server.conf / pct.conf): "key: value" lines of the main
    /// section in file order; leading "#" lines are the description (PVE writes it that way); "#qmdump#…" lines and
    /// snapshot sections ("[name]") are left out.
    /// </summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Config, string? Description) ParseConfig(string? text)
    {
        var config = new List<KeyValuePair<string, string>>();
        var description = new StringBuilder();
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('[')) break;
            if (line.StartsWith("#qmdump#", StringComparison.Ordinal)) continue;
            if (line.StartsWith('#'))
            {
                if (config.Count == 0) description.Append(Uri.UnescapeDataString(line[1..])).Append('\n');
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            config.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        var d = description.ToString().TrimEnd('\n');
        return (config, d.Length == 0 ? null : d);
    }
}
