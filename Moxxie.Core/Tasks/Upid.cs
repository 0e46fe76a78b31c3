using System.Globalization;

namespace Moxxie.Core.Tasks;

/// <summary>A decoded PVE task id: <c>UPID:node:pid:pstart:starttime:type:id:user:</c> (hex pid/pstart/starttime; id may be empty).</summary>
public sealed record Upid(string Value, string Node, int Pid, long PStart, DateTimeOffset StartTime, string Type, string? Id, string User)
{
    public static bool TryParse(string? value, out Upid upid)
    {
        upid = null!;
        if (string.IsNullOrEmpty(value) || !value.StartsWith("UPID:", StringComparison.Ordinal)) return false;
        var parts = value.Split(':');
        // "UPID", node, pid, pstart, starttime, type, id, user, "" (trailing colon)
        if (parts.Length < 9) return false;
        if (!int.TryParse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var pid)) return false;
        if (!long.TryParse(parts[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var pstart)) return false;
        if (!long.TryParse(parts[4], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)) return false;
        // The user part may itself contain ':' only if escaped; join the rest defensively.
        var user = string.Join(':', parts[7..^1]);
        upid = new Upid(value, parts[1], pid, pstart, DateTimeOffset.FromUnixTimeSeconds(start), parts[5],
            parts[6].Length == 0 ? null : parts[6], user);
        return true;
    }

    public static Upid Parse(string value) =>
        TryParse(value, out var upid) ? upid : throw new FormatException($"'{value}' is not a PVE UPID");
}
