using Moxxie.Core.Proxmox;
using Moxxie.Web.Components.Shared;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class FormatsTests
{
    [Theory]
    [InlineData(0, "—")]
    [InlineData(-5, "—")]
    [InlineData(45, "45s")]
    [InlineData(12 * 60 + 5, "12m")]
    [InlineData(3 * 3600 + 12 * 60, "3h 12m")]
    [InlineData(5 * 86400 + 3 * 3600 + 59 * 60, "5d 3h")]
    [InlineData(432000, "5d 0h")]
    public void Uptime_IsHuman(long seconds, string expected) => Assert.Equal(expected, Formats.Uptime(seconds));

    [Fact]
    public void GbOf_ShowsUsedAndTotalInGb() => Assert.Equal("3.5 / 4.0 GB", Formats.GbOf(3758096384, 4294967296));

    [Theory]
    [InlineData(0.15234, "15 %")]
    [InlineData(0, "0 %")]
    [InlineData(2, "100 %")]
    public void Percent_RoundsAndClamps(double fraction, string expected) => Assert.Equal(expected, Formats.Percent(fraction));

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(21474836480, "20.0 GiB")]
    public void Bytes_UsesTheLargestFittingUnit(long bytes, string expected) => Assert.Equal(expected, Formats.Bytes(bytes));

    [Theory]
    [InlineData(4, "0:04")]
    [InlineData(135, "2:15")]
    [InlineData(3723, "1:02:03")]
    public void Elapsed_IsClockLike(int seconds, string expected) => Assert.Equal(expected, Formats.Elapsed(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("qmstart", "102", "Start VM 102")]
    [InlineData("vzdump", "105", "Backup 105")]
    [InlineData("vzstart", "200", "Start CT 200")]
    [InlineData("aptupdate", null, "Update package database")]
    [InlineData("somethingnew", "7", "somethingnew 7")]
    public void TaskDescriptions_NameTheTask(string type, string? id, string expected) => Assert.Equal(expected, TaskDescriptions.Describe(type, id));

    [Theory]
    [InlineData(PowerAction.Stop, true)]
    [InlineData(PowerAction.Shutdown, true)]
    [InlineData(PowerAction.Reboot, true)]
    [InlineData(PowerAction.Reset, true)]
    [InlineData(PowerAction.Start, false)]
    [InlineData(PowerAction.Resume, false)]
    public void DestructiveActions_AreConfirmed(PowerAction action, bool destructive) => Assert.Equal(destructive, StatusStyles.IsDestructive(action));
}
