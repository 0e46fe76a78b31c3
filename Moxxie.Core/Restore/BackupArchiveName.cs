using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Restore;

/// <summary>What a backup volume id says about itself: storage, guest type, VMID and time
/// (<c>backup-nas:backup/vzdump-qemu-101-2024_06_21-02_00_00.vma.zst</c>, or PBS's <c>pbs:backup/vm/101/2024-06-21T02:00:00Z</c>).</summary>
public sealed partial record BackupArchiveName(string VolId, string Storage, GuestType? Type, int? VmId, DateTimeOffset? Time, string? Format)
{
    [GeneratedRegex(@"^(?<storage>[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]?):(?<path>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex VolIdPattern();

    [GeneratedRegex(@"vzdump-(?<type>qemu|lxc|openvz)-(?<vmid>\d+)-(?<time>\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2})\.(?<format>[a-z.]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex VzdumpPattern();

    [GeneratedRegex(@"^backup/(?<type>vm|ct)/(?<vmid>\d+)/(?<time>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PbsPattern();

    /// <summary>Null when the text is not a storage volume id at all.</summary>
    public static BackupArchiveName? Parse(string? volId)
    {
        if (string.IsNullOrWhiteSpace(volId) || volId.Length > 255 || VolIdPattern().Match(volId.Trim()) is not { Success: true } m) return null;
        var storage = m.Groups["storage"].Value;
        var path = m.Groups["path"].Value;
        if (VzdumpPattern().Match(path) is { Success: true } v)
        {
            DateTimeOffset? time = DateTime.TryParseExact(v.Groups["time"].Value, "yyyy_MM_dd-HH_mm_ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : null;
            return new BackupArchiveName(volId.Trim(), storage, v.Groups["type"].Value == "qemu" ? GuestType.Qemu : GuestType.Lxc,
                int.Parse(v.Groups["vmid"].Value, CultureInfo.InvariantCulture), time, v.Groups["format"].Value);
        }
        if (PbsPattern().Match(path) is { Success: true } p)
        {
            DateTimeOffset? time = DateTimeOffset.TryParse(p.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
            return new BackupArchiveName(volId.Trim(), storage, p.Groups["type"].Value == "vm" ? GuestType.Qemu : GuestType.Lxc,
                int.Parse(p.Groups["vmid"].Value, CultureInfo.InvariantCulture), time, "pbs-" + p.Groups["type"].Value);
        }
        return new BackupArchiveName(volId.Trim(), storage, null, null, null, null);
    }

    /// <summary>The guest config inside a backup as GET …/vzdump/extractconfig returns it ("key: value" lines, the description
    /// as '#' comment lines, VMA's "#qmdump#map:" lines, snapshot sections after the first "[name]").</summary>
    public static Dictionary<string, string> ParseConfigText(string? text)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var description = new StringBuilder();
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('[')) break;
            if (line.StartsWith("#qmdump#", StringComparison.Ordinal)) continue;
            if (line.StartsWith('#'))
            {
                if (description.Length > 0) description.Append('\n');
                description.Append(Uri.UnescapeDataString(line[1..]));
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            config[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        if (description.Length > 0) config["description"] = description.ToString();
        return config;
    }
}
