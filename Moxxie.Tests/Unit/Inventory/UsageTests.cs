using Moxxie.Core.Inventory;
using Xunit;

namespace Moxxie.Tests.Unit.Inventory;

public sealed class UsageTests
{
    [Theory]
    [InlineData(0.0, UsageLevel.Normal)]
    [InlineData(0.699, UsageLevel.Normal)]
    [InlineData(0.70, UsageLevel.Warning)]
    [InlineData(0.90, UsageLevel.Warning)]
    [InlineData(0.9001, UsageLevel.Critical)]
    [InlineData(1.0, UsageLevel.Critical)]
    public void Level_FollowsTheGuidesThresholds(double fraction, UsageLevel expected) => Assert.Equal(expected, Usage.Level(fraction));

    [Theory]
    [InlineData(3758096384, 4294967296, 0.875)]
    [InlineData(10, 0, 0.0)]
    [InlineData(5, 4, 1.0)]
    [InlineData(-1, 4, 0.0)]
    public void Fraction_IsClampedAndSafeForUnknownTotals(long used, long total, double expected) =>
        Assert.Equal(expected, Usage.Fraction(used, total), 6);
}
