using System.Globalization;
using Quartz;

namespace Moxxie.Core.Scheduling;

/// <summary>
/// A job's schedule: a Quartz cron expression (seconds first, 6 or 7 fields, <c>?</c> allowed in the day fields) read in
/// an IANA/Windows time zone, through Quartz 4.7.3's <see cref="CronExpression"/> (the parser and fire-time calculator
/// only; Moxxie runs its own loop, see SchedulerEngine).
/// <para>Daylight saving, as Quartz computes it: in the spring-forward gap a wall-clock time that does not exist (02:30
/// when clocks jump 02:00 → 03:00) fires once at the instant the clocks moved to (03:00 local); in the fall-back repeat a
/// fixed time (02:30 when 03:00 → 02:00) fires once, at its first occurrence, while interval expressions
/// (<c>0 0/30 * * * ?</c>) fire through both passes of the repeated hour. Fire times are instants (UTC), so the scheduler's
/// claim of "this fire time" is the same on every instance.</para>
/// </summary>
public sealed class CronSchedule
{
    /// <summary>Field names in order, as <see cref="CronValidation.FieldName"/> and the cron check's <c>errorFieldName</c> name them.</summary>
    public static readonly IReadOnlyList<string> FieldNames = ["seconds", "minutes", "hours", "dayOfMonth", "month", "dayOfWeek", "year"];

    private readonly CronExpression _cron;

    private CronSchedule(string expression, TimeZoneInfo zone, CronExpression cron)
    {
        Expression = expression;
        TimeZone = zone;
        _cron = cron;
    }

    public string Expression { get; }
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The first fire time strictly after <paramref name="after"/>, or null when the expression never fires again.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _cron.GetNextValidTimeAfter(after)?.ToUniversalTime();

    /// <summary>The latest fire time strictly before <paramref name="before"/>, or null.</summary>
    public DateTimeOffset? PreviousBefore(DateTimeOffset before) => _cron.GetPreviousValidTimeBefore(before)?.ToUniversalTime();

    /// <summary>Up to <paramref name="count"/> fire times strictly after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, int count)
    {
        var list = new List<DateTimeOffset>(count);
        var t = after;
        while (list.Count < count && NextAfter(t) is { } next)
        {
            list.Add(next);
            t = next;
        }
        return list;
    }

    /// <summary>Fire times in (<paramref name="after"/>, <paramref name="upTo"/>], at most <paramref name="max"/> (oldest first).</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset upTo, int max)
    {
        var list = new List<DateTimeOffset>();
        var t = after;
        while (list.Count < max && NextAfter(t) is { } next && next <= upTo)
        {
            list.Add(next);
            t = next;
        }
        return list;
    }

    /// <summary>The schedule in words ("Every day at 02:00"); see <see cref="CronDescriber"/>.</summary>
    public string Describe() => CronDescriber.Describe(Expression);

    /// <summary>Parses and checks <paramref name="expression"/> in <paramref name="timeZone"/> (null/empty = UTC).
    /// Throws <see cref="Validation.ValidationException"/> naming the field that is wrong.</summary>
    public static CronSchedule Parse(string? expression, string? timeZone)
    {
        var result = Validate(expression, timeZone);
        if (result.Errors.Count > 0)
            throw new Validation.ValidationException(result.Errors.Values.First(), result.Errors);
        return result.Schedule!;
    }

    public static bool TryResolveZone(string? timeZone, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(timeZone) || timeZone is "UTC" or "Etc/UTC") return true;
        return TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out zone!);
    }

    /// <summary>Checks the expression field by field (each field is tried alone in an otherwise plain expression, so the
    /// error names the field Quartz refused and carries Quartz's message), then as a whole, then that it fires at least once
    /// more. Errors are keyed <c>cronExpression</c> (the whole) and <c>timeZone</c>; with 6 or 7 fields the result carries them
    /// (<see cref="CronValidation.Fields"/>) and, when one field alone is refused, its index (<see cref="CronValidation.Field"/>).</summary>
    public static CronValidation Validate(string? expression, string? timeZone)
    {
        var errors = new Dictionary<string, string>();
        if (!TryResolveZone(timeZone, out var zone))
            errors["timeZone"] = $"Unknown time zone '{timeZone}'; use an IANA name such as Europe/Berlin or UTC.";

        var text = (expression ?? "").Trim();
        if (text.Length == 0)
        {
            errors["cronExpression"] = "A cron expression is required, e.g. 0 0 2 * * ? (every day at 02:00).";
            return new CronValidation(null, errors);
        }
        var fields = text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 6 or > 7)
        {
            errors["cronExpression"] = fields.Length == 5
                ? "5 fields is Unix cron; Moxxie uses Quartz cron with seconds first: seconds minutes hours day-of-month month day-of-week [year], e.g. 0 0 2 * * ?."
                : $"Expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got {fields.Length}.";
            return new CronValidation(null, errors);
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (ProbeField(i, fields[i]) is { } message)
            {
                errors["cronExpression"] = $"{FieldLabel(i)} field '{fields[i]}': {message}";
                return new CronValidation(null, errors) { Fields = fields, Field = i };
            }
        }

        var normalized = string.Join(' ', fields);
        CronExpression cron;
        try
        {
            cron = new CronExpression(normalized, zone);
        }
        catch (FormatException ex)
        {
            errors["cronExpression"] = ex.Message;
            return new CronValidation(null, errors) { Fields = fields };
        }
        if (errors.Count > 0) return new CronValidation(null, errors) { Fields = fields };

        var schedule = new CronSchedule(normalized, zone, cron);
        return new CronValidation(schedule, errors) { Fields = fields };
    }

    /// <summary>The field's name in words ("Day-of-month"), as error messages start.</summary>
    public static string FieldLabel(int i) => i switch
    {
        0 => "Seconds",
        1 => "Minutes",
        2 => "Hours",
        3 => "Day-of-month",
        4 => "Month",
        5 => "Day-of-week",
        _ => "Year",
    };

    private static string? ProbeField(int index, string field)
    {
        string[] probe = ["0", "0", "0", "?", "*", "*"];
        if (index == 6)
        {
            probe = [.. probe, field];
        }
        else
        {
            probe[index] = field;
            if (index == 5 && field != "?") probe[3] = "?";
            if (index == 3 && field != "?") probe[5] = "?";
            if (index == 3 && field == "?") probe[5] = "*";
        }
        try
        {
            _ = new CronExpression(string.Join(' ', probe));
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary><paramref name="utc"/> as wall-clock time in <paramref name="timeZone"/> (UTC when unknown), for showing fire times.</summary>
    public static DateTimeOffset InZone(DateTimeOffset utc, string? timeZone) =>
        TimeZoneInfo.ConvertTime(utc, TryResolveZone(timeZone, out var zone) ? zone : TimeZoneInfo.Utc);

    /// <summary>Zone ids offered by the form: UTC first, then the system's IANA ids in order.</summary>
    public static IReadOnlyList<string> KnownZones { get; } = BuildZones();

    private static List<string> BuildZones()
    {
        var ids = TimeZoneInfo.GetSystemTimeZones().Select(z => TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : z.Id)
            .Where(id => id.Contains('/', StringComparison.Ordinal) && !id.StartsWith("Etc/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return ["UTC", .. ids];
    }

    internal static string FormatLocal(DateTimeOffset utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(utc, zone).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
}

public sealed record CronValidation(CronSchedule? Schedule, IReadOnlyDictionary<string, string> Errors)
{
    public bool Valid => Errors.Count == 0 && Schedule is not null;

    /// <summary>The expression's fields when it has 6 or 7 (otherwise null).</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>The index (0 = seconds … 6 = year) of the field Quartz refused on its own; null when the expression is valid,
    /// has the wrong number of fields, or is wrong only as a whole.</summary>
    public int? Field { get; init; }

    /// <summary><see cref="Field"/> as one of <see cref="CronSchedule.FieldNames"/> ("minutes").</summary>
    public string? FieldName => Field is { } i ? CronSchedule.FieldNames[i] : null;
}
