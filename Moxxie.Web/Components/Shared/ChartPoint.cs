namespace Moxxie.Web.Components.Shared;

/// <summary>One point of a <see cref="MetricChart"/> series (local time on the category axis).</summary>
public sealed record ChartPoint(DateTime Time, double Value);

/// <summary>A named line of a <see cref="MetricChart"/>.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);
