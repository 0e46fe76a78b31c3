using System.Globalization;

namespace Moxxie.Benchmarks;

internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    public static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms.ToString(ms < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms";

    public static string Ratio(double value, double baseline) =>
        baseline > 0 && !double.IsNaN(value) ? (value / baseline).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "n/a";

    public static string Mib(double bytes) => (bytes / (1024.0 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB";

    public static string Num(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);
}
