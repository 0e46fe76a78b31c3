namespace Moxxie.Core.Inventory;

/// <summary>How full a resource is, as the guide colours usage bars: green below 70 %, yellow 70–90 %, red above 90 %.</summary>
public enum UsageLevel { Normal, Warning, Critical }

public static class Usage
{
    /// <summary>From this fraction on a bar turns yellow.</summary>
    public const double WarningFrom = 0.70;

    /// <summary>Above this fraction a bar turns red.</summary>
    public const double CriticalAbove = 0.90;

    /// <summary>used / total clamped to 0..1; 0 when the total is unknown.</summary>
    public static double Fraction(long used, long total) => total <= 0 ? 0 : Math.Clamp((double)used / total, 0, 1);

    public static UsageLevel Level(double fraction) => fraction switch
    {
        > CriticalAbove => UsageLevel.Critical,
        >= WarningFrom => UsageLevel.Warning,
        _ => UsageLevel.Normal,
    };

    public static UsageLevel Level(long used, long total) => Level(Fraction(used, total));
}
