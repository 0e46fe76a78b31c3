using System.Globalization;

namespace Moxxie.Web.Components.Shared;

/// <summary>Human formatting for the UI (invariant culture, so tests and screenshots read the same everywhere).</summary>
public static class Formats
{
    private const double Gib = 1024d * 1024 * 1024;

    /// <summary>"5d 3h", "3h 12m", "12m", "45s"; "—" when not running (0 or negative).</summary>
    public static string Uptime(long seconds)
    {
        if (seconds <= 0) return "—";
        var t = TimeSpan.FromSeconds(seconds);
        if (t.TotalDays >= 1) return $"{(int)t.TotalDays}d {t.Hours}h";
        if (t.TotalHours >= 1) return $"{t.Hours}h {t.Minutes}m";
        if (t.TotalMinutes >= 1) return $"{t.Minutes}m";
        return $"{t.Seconds}s";
    }

    /// <summary>Bytes as GiB with one decimal ("3.5"), the unit PVE's GUI uses.</summary>
    public static string Gb(long bytes) => (bytes / Gib).ToString(bytes / Gib >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);

    /// <summary>"3.5 / 4.0 GB".</summary>
    public static string GbOf(long used, long total) => $"{Gb(used)} / {Gb(total)} GB";

    /// <summary>Bytes in the largest fitting binary unit: "512 B", "1.5 KiB", "20.0 GiB", "1.2 TiB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = Math.Max(0, bytes);
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{value:0} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>A transfer rate in bytes per second: "0 B/s", "512 B/s", "1.5 KiB/s", "12.0 MiB/s".</summary>
    public static string Rate(double bytesPerSecond) => Bytes((long)Math.Round(Math.Max(0, bytesPerSecond))) + "/s";

    /// <summary>A 0..1 fraction as a whole percentage: "15 %".</summary>
    public static string Percent(double fraction) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Round(Math.Clamp(fraction, 0, 1) * 100):0} %");

    /// <summary>Elapsed time of a task: "0:04", "2:15", "1:02:03".</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        return elapsed.TotalHours >= 1
            ? $"{(int)elapsed.TotalHours}:{elapsed.Minutes:00}:{elapsed.Seconds:00}"
            : $"{elapsed.Minutes}:{elapsed.Seconds:00}";
    }

    /// <summary>"14:03:27" today, else "Nov 24 14:03", in the given offset's local time.</summary>
    public static string When(DateTimeOffset at, DateTimeOffset now) =>
        at.Date == now.Date
            ? at.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : at.ToString("MMM d HH:mm", CultureInfo.InvariantCulture);
}
