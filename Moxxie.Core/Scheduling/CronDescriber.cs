using System.Globalization;

namespace Moxxie.Core.Scheduling;

/// <summary>Quartz cron in words for the common shapes the cron builder makes ("Every day at 02:00", "Every 15 minutes",
/// "Every Monday at 03:30", "On day 1 of every month at 04:00"); anything else reads as "Cron: &lt;expression&gt;".
/// Times are wall-clock times in the job's time zone.</summary>
public static class CronDescriber
{
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly Dictionary<string, int> DayNumbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SUN"] = 1, ["MON"] = 2, ["TUE"] = 3, ["WED"] = 4, ["THU"] = 5, ["FRI"] = 6, ["SAT"] = 7,
    };

    public static string Describe(string expression)
    {
        var f = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length is < 6 or > 7) return $"Cron: {expression}";
        if (f.Length == 7 && f[6] != "*") return $"Cron: {expression}";
        string sec = f[0], min = f[1], hour = f[2], dom = f[3], month = f[4], dow = f[5];
        var anyDom = dom is "*" or "?";
        var anyDow = dow is "*" or "?";
        if (month != "*") return $"Cron: {expression}";

        // Every N seconds / minutes / hours
        if (anyDom && anyDow)
        {
            if (Step(sec) is { } s && min == "*" && hour == "*") return s == 1 ? "Every second" : $"Every {s} seconds";
            if (sec == "*" && min == "*" && hour == "*") return "Every second";
            if (sec == "0" && Step(min) is { } m && hour == "*") return m == 1 ? "Every minute" : $"Every {m} minutes";
            if (sec == "0" && min == "*" && hour == "*") return "Every minute";
            if (sec == "0" && Number(min) is { } mm && Step(hour) is { } h)
                return h == 1 ? $"Every hour at minute {mm:00}" : $"Every {h} hours at minute {mm:00}";
            if (sec == "0" && Number(min) is { } m2 && hour == "*") return $"Every hour at minute {m2:00}";
        }

        if (Number(sec) is not { } ss || Number(min) is not { } mi) return $"Cron: {expression}";
        var hours = List(hour);
        if (hours is null) return $"Cron: {expression}";
        var at = "at " + string.Join(", ", hours.Select(h => Time(h, mi, ss)));

        if (anyDom && anyDow) return $"Every day {at}";
        if (anyDom && DaysOfWeek(dow) is { } days)
        {
            if (days.SequenceEqual([2, 3, 4, 5, 6])) return $"Every weekday (Monday to Friday) {at}";
            if (days.SequenceEqual([1, 7])) return $"Every weekend day {at}";
            return $"Every {string.Join(", ", days.Select(d => DayNames[d - 1]))} {at}";
        }
        if (anyDow && dom == "L") return $"On the last day of every month {at}";
        if (anyDow && List(dom) is { } doms && doms.All(d => d is >= 1 and <= 31))
            return $"On day {string.Join(", ", doms)} of every month {at}";
        return $"Cron: {expression}";
    }

    private static string Time(int h, int m, int s) =>
        s == 0 ? string.Create(CultureInfo.InvariantCulture, $"{h:00}:{m:00}") : string.Create(CultureInfo.InvariantCulture, $"{h:00}:{m:00}:{s:00}");

    private static int? Number(string field) => int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>"*/N" or "0/N" → N.</summary>
    private static int? Step(string field)
    {
        var parts = field.Split('/');
        if (parts.Length != 2 || parts[0] is not ("*" or "0")) return null;
        return Number(parts[1]) is { } n and > 0 ? n : null;
    }

    private static List<int>? List(string field)
    {
        var list = new List<int>();
        foreach (var part in field.Split(','))
        {
            if (Number(part) is not { } n) return null;
            list.Add(n);
        }
        return list;
    }

    private static List<int>? DaysOfWeek(string field)
    {
        var days = new SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2) return null;
            var from = Day(range[0]);
            var to = range.Length == 2 ? Day(range[1]) : from;
            if (from is null || to is null || to < from) return null;
            for (var d = from.Value; d <= to.Value; d++) days.Add(d);
        }
        return [.. days];
    }

    private static int? Day(string s) =>
        DayNumbers.TryGetValue(s, out var d) ? d : Number(s) is { } n and >= 1 and <= 7 ? n : null;
}
