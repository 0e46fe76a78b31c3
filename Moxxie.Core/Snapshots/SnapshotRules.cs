using System.Globalization;
using System.Text.RegularExpressions;

namespace Moxxie.Core.Snapshots;

/// <summary>PVE's rules for snapshot names (format pve-configid, at most 40 characters, "current" reserved) and Moxxie's
/// for descriptions and TTLs, checked before anything is sent. Field names are the API's.</summary>
public static partial class SnapshotRules
{
    public const int MaxNameLength = 40;
    public const int MaxDescriptionLength = 1024;
    public const int MaxTtlHours = 8760;

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigId();

    [GeneratedRegex(@"\s*\(TTL: \d+h\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TtlSuffix();

    [GeneratedRegex(@"\(TTL: (\d+)h\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TtlMarker();

    /// <summary>N from a description's trailing " (TTL: Nh)" marker (what <see cref="PveDescription"/> writes).</summary>
    public static int? TtlHours(string? description) =>
        description is not null && TtlMarker().Match(description) is { Success: true } m && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : null;

    /// <summary>Why the name is refused, or null when PVE would accept it.</summary>
    public static string? NameError(string? name, IEnumerable<string>? existing = null)
    {
        if (string.IsNullOrWhiteSpace(name)) return "A name is required.";
        if (name.Length > MaxNameLength) return $"At most {MaxNameLength} characters.";
        if (name.Length < 2 || !ConfigId().IsMatch(name))
            return "Starts with a letter, then at least one letter, digit, '-' or '_' (PVE's rule).";
        if (string.Equals(name, "current", StringComparison.OrdinalIgnoreCase)) return "\"current\" is reserved by PVE.";
        if (existing?.Contains(name, StringComparer.Ordinal) == true) return $"A snapshot named '{name}' already exists.";
        return null;
    }

    public static string? TtlError(int? hours) =>
        hours is null or (>= 1 and <= MaxTtlHours) ? null : $"Between 1 and {MaxTtlHours} hours, or none.";

    public static string? DescriptionError(string? description) =>
        description is not null && description.Length > MaxDescriptionLength ? $"At most {MaxDescriptionLength} characters." : null;

    /// <summary>The description sent to PVE: the user's text with " (TTL: Nh)" appended when a TTL is set, as the original
    /// Moxxie did, so other tools see it.</summary>
    public static string? PveDescription(string? description, int? ttlHours)
    {
        var text = string.IsNullOrWhiteSpace(description) ? "" : description.Trim();
        if (ttlHours is { } h) text = (text.Length == 0 ? "" : text + " ") + string.Create(CultureInfo.InvariantCulture, $"(TTL: {h}h)");
        return text.Length == 0 ? null : text;
    }

    /// <summary>The description without a trailing " (TTL: Nh)" marker (for display next to the TTL badge).</summary>
    public static string? WithoutTtlSuffix(string? description) =>
        description is null ? null : TtlSuffix().Replace(description, "");
}
