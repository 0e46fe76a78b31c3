namespace Moxxie.Web.Components.Shared;

/// <summary>The two Radzen themes Moxxie switches between.</summary>
public static class ThemeNames
{
    public const string Light = "material";
    public const string Dark = "material-dark";

    public static bool IsKnown(string? theme) => theme is Light or Dark;

    public static bool IsDark(string? theme) => theme == Dark;
}
