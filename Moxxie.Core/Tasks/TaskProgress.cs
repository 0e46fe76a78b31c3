using System.Globalization;
using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Tasks;

/// <summary>Reads progress out of PVE task log lines ("INFO:  45% (4.5 GiB of 10.0 GiB) in 10s", "drive-scsi0: transferred
/// 1.0 GiB of 32.0 GiB (3.12%)", "progress 12%").</summary>
public static partial class TaskProgress
{
    /// <summary>The percentage of the last line that carries one, or null when no line does.</summary>
    public static int? FromLog(IReadOnlyList<TaskLogLine> lines)
    {
        for (var i = lines.Count - 1; i >= 0; i--)
            if (FromLine(lines[i].Text) is { } p) return p;
        return null;
    }

    public static int? FromLine(string text)
    {
        var m = PercentRegex().Match(text);
        if (!m.Success) return null;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return (int)Math.Clamp(Math.Floor(value), 0, 100);
    }

    [GeneratedRegex(@"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s?%")]
    private static partial Regex PercentRegex();
}
