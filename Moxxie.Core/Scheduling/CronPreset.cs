using System.Globalization;

namespace Moxxie.Core.Scheduling;

/// <summary>The cron builder's presets. <see cref="CronPresetKind.Custom"/> means "the raw expression as typed".</summary>
public enum CronPresetKind
{
    EveryHour,
    Daily,
    Weekdays,
    Weekly,
    Monthly,
    Custom,
}

/// <summary>
/// A cron builder preset and its Quartz expression, both ways: <see cref="ToExpression"/> writes the expression
/// (<c>0 0 2 * * ?</c> for "every day at 02:00"), <see cref="Match"/> reads an expression back into the preset it is
/// (so editing the raw expression moves the builder), or <see cref="CronPresetKind.Custom"/> when it is none of them.
/// <c>Match(p.ToExpression()) == p</c> for every preset with values in range.
/// </summary>
public sealed record CronPreset(CronPresetKind Kind, int Hour = 2, int Minute = 0, DayOfWeek Day = DayOfWeek.Monday, int DayOfMonth = 1)
{
    private static readonly string[] DayCodes = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static IReadOnlyList<CronPresetKind> Kinds { get; } =
        [CronPresetKind.EveryHour, CronPresetKind.Daily, CronPresetKind.Weekdays, CronPresetKind.Weekly, CronPresetKind.Monthly, CronPresetKind.Custom];

    /// <summary>The builder's default: every day at 02:00.</summary>
    public static CronPreset Default { get; } = new(CronPresetKind.Daily);

    public static string Label(CronPresetKind kind) => kind switch
    {
        CronPresetKind.EveryHour => "Every hour",
        CronPresetKind.Daily => "Every day at",
        CronPresetKind.Weekdays => "Weekdays (Mon–Fri) at",
        CronPresetKind.Weekly => "Every week on",
        CronPresetKind.Monthly => "Every month on day",
        _ => "Custom (raw expression)",
    };

    /// <summary>Whether the preset uses <see cref="Hour"/> (all but every hour and custom).</summary>
    public bool HasTime => Kind is CronPresetKind.Daily or CronPresetKind.Weekdays or CronPresetKind.Weekly or CronPresetKind.Monthly;

    /// <summary>"HH:mm" of <see cref="Hour"/>:<see cref="Minute"/>.</summary>
    public string TimeText => string.Create(CultureInfo.InvariantCulture, $"{Hour:00}:{Minute:00}");

    /// <summary>The Quartz expression (seconds first, <c>?</c> in the day field not used), or null for custom.</summary>
    public string? ToExpression()
    {
        var m = Math.Clamp(Minute, 0, 59).ToString(CultureInfo.InvariantCulture);
        var h = Math.Clamp(Hour, 0, 23).ToString(CultureInfo.InvariantCulture);
        return Kind switch
        {
            CronPresetKind.EveryHour => $"0 {m} * * * ?",
            CronPresetKind.Daily => $"0 {m} {h} * * ?",
            CronPresetKind.Weekdays => $"0 {m} {h} ? * MON-FRI",
            CronPresetKind.Weekly => $"0 {m} {h} ? * {DayCodes[(int)Day]}",
            CronPresetKind.Monthly => $"0 {m} {h} {Math.Clamp(DayOfMonth, 1, 31).ToString(CultureInfo.InvariantCulture)} * ?",
            _ => null,
        };
    }

    /// <summary>The same preset at another time ("HH:mm" or "HH:mm:ss"); unchanged when the text is not a time.</summary>
    public CronPreset WithTime(string? text) =>
        TimeOnly.TryParse(text, CultureInfo.InvariantCulture, out var t) ? this with { Hour = t.Hour, Minute = t.Minute } : this;

    /// <summary>The preset <paramref name="expression"/> is, or a custom preset keeping <paramref name="fallback"/>'s
    /// values (so switching back from custom keeps the last time chosen).</summary>
    public static CronPreset Match(string? expression, CronPreset? fallback = null)
    {
        var custom = (fallback ?? Default) with { Kind = CronPresetKind.Custom };
        var f = (expression ?? "").Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (f.Length is < 6 or > 7 || (f.Length == 7 && f[6] != "*")) return custom;
        string sec = f[0], min = f[1], hour = f[2], dom = f[3], month = f[4], dow = f[5];
        if (sec != "0" || month != "*" || Number(min, 0, 59) is not { } minute) return custom;
        var anyDom = dom is "*" or "?";
        var anyDow = dow is "*" or "?";
        if (hour == "*")
            return anyDom && anyDow ? new CronPreset(CronPresetKind.EveryHour, custom.Hour, minute, custom.Day, custom.DayOfMonth) : custom;
        if (Number(hour, 0, 23) is not { } h) return custom;
        var at = custom with { Hour = h, Minute = minute };
        if (anyDom && anyDow) return at with { Kind = CronPresetKind.Daily };
        if (dom == "?" && dow.ToUpperInvariant() is "MON-FRI" or "2-6") return at with { Kind = CronPresetKind.Weekdays };
        if (dom == "?" && DayOf(dow) is { } day) return at with { Kind = CronPresetKind.Weekly, Day = day };
        if (dow == "?" && Number(dom, 1, 31) is { } d) return at with { Kind = CronPresetKind.Monthly, DayOfMonth = d };
        return custom;
    }

    private static int? Number(string field, int min, int max) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    private static DayOfWeek? DayOf(string field)
    {
        var i = Array.FindIndex(DayCodes, c => string.Equals(c, field, StringComparison.OrdinalIgnoreCase));
        if (i >= 0) return (DayOfWeek)i;
        return Number(field, 1, 7) is { } n ? (DayOfWeek)(n - 1) : null;   // Quartz: 1 = Sunday
    }
}
