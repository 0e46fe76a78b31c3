using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Moxxie.E2E.Infrastructure;

/// <summary>
/// Reads a computed CSS colour from the browser and tells its hue family, so a journey can assert "shown in red"
/// without pinning a theme's exact shade (rgb()/rgba() and Chromium's color(srgb …) forms).
/// </summary>
public static partial class CssColor
{
    /// <summary>getComputedStyle(element)[property], e.g. "background-color"; "" when the element was just replaced by a
    /// re-render (a detached element has no computed style).</summary>
    public static Task<string> ComputedAsync(ILocator element, string property) =>
        element.EvaluateAsync<string>("(e, p) => e.isConnected ? getComputedStyle(e).getPropertyValue(p) : ''", property);

    /// <summary>Waits until the element's computed colour is red (<paramref name="red"/> true) or not red; re-reads the
    /// element each time, so live re-renders don't matter. Fails naming the last colour seen.</summary>
    public static async Task ExpectRedAsync(ILocator element, string property, bool red, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (true)
        {
            last = await ComputedAsync(element, property);
            if (last.Length > 0 && IsRed(last) == red) return;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"{what}: {property} is '{last}', expected {(red ? "" : "not ")}red");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>True for a saturated colour whose hue lies within 20° of pure red (PVE/Radzen "danger").</summary>
    public static bool IsRed(string css)
    {
        var (r, g, b) = Parse(css);
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        if (max < 0.35 || max - min < 0.25 || max != r) return false;
        var hue = 60 * ((g - b) / (max - min));   // red sector: −60°…60°
        return Math.Abs(hue) <= 20;
    }

    /// <summary>Components 0…1 of "rgb(244, 67, 54)", "rgba(…)" or "color(srgb 0.95 0.26 0.21 / 0.5)".</summary>
    public static (double R, double G, double B) Parse(string css)
    {
        var text = css.Trim();
        var numbers = Number().Matches(text).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        if (numbers.Length < 3) throw new FormatException($"Not a colour: '{css}'");
        return text.StartsWith("color(", StringComparison.Ordinal)
            ? (numbers[0], numbers[1], numbers[2])
            : (numbers[0] / 255, numbers[1] / 255, numbers[2] / 255);
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?(e-?\d+)?")]
    private static partial Regex Number();
}
