using System.Globalization;

namespace Moxxie.Simulator.Model;

/// <summary>
/// The common subset of PVE calendar events (systemd-like, as backup job schedules use them): "01:00", "sat 03:30",
/// "mon..fri 02:00", "mon,wed 22:15", "06,18:30", "*:0/15", "daily", "hourly", "weekly". Times are UTC (the simulated
/// nodes' zone). <see cref="Next"/> is null for anything else.
/// </summary>
internal static class CalendarEvent
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static DateTimeOffset? Next(string schedule, DateTimeOffset after)
    {
        var text = schedule.Trim().ToLowerInvariant() switch
        {
            "daily" => "*-*-* 00:00",
            "hourly" => "*:00",
            "weekly" => "mon 00:00",
            var s => s,
        };
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "*-*-*").ToList();
        HashSet<int>? days = null;
        if (parts.Count == 2)
        {
            days = ParseDays(parts[0]);
            if (days is null) return null;
            parts.RemoveAt(0);
        }
        if (parts.Count != 1) return null;
        var hm = parts[0].Split(':');
        if (hm.Length != 2) return null;
        var hours = ParseValues(hm[0], 24);
        var minutes = ParseValues(hm[1], 60);
        if (hours is null || minutes is null) return null;
        var t = new DateTimeOffset(after.UtcDateTime.Year, after.Month, after.Day, after.Hour, after.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        for (var i = 0; i < 8 * 24 * 60; i++, t = t.AddMinutes(1))
            if ((days is null || days.Contains((int)t.DayOfWeek)) && hours.Contains(t.Hour) && minutes.Contains(t.Minute)) return t;
        return null;
    }

    private static HashSet<int>? ParseDays(string spec)
    {
        var result = new HashSet<int>();
        foreach (var part in spec.Split(','))
        {
            var range = part.Split("..");
            var a = Array.IndexOf(Days, range[0]);
            var b = range.Length == 2 ? Array.IndexOf(Days, range[1]) : a;
            if (a < 0 || b < 0) return null;
            for (var d = a; ; d = (d + 1) % 7)
            {
                result.Add(d);
                if (d == b) break;
            }
        }
        return result;
    }

    private static HashSet<int>? ParseValues(string spec, int limit)
    {
        var result = new HashSet<int>();
        foreach (var part in spec.Split(','))
        {
            if (part == "*") { for (var i = 0; i < limit; i++) result.Add(i); continue; }
            var slash = part.Split('/');
            var range = slash[0] == "*" ? ["0", (limit - 1).ToString(CultureInfo.InvariantCulture)] : slash[0].Split("..");
            if (!int.TryParse(range[0], CultureInfo.InvariantCulture, out var from)) return null;
            var to = from;
            if (range.Length == 2 && !int.TryParse(range[1], CultureInfo.InvariantCulture, out to)) return null;
            if (slash.Length == 2)
            {
                if (!int.TryParse(slash[1], CultureInfo.InvariantCulture, out var step) || step <= 0) return null;
                if (range.Length == 1) to = limit - 1;
                for (var i = from; i <= to && i < limit; i += step) result.Add(i);
            }
            else for (var i = from; i <= to && i < limit; i++) result.Add(i);
        }
        return result.Count > 0 ? result : null;
    }
}
