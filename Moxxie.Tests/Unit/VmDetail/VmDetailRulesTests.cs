using Moxxie.Core.Nodes;
using Moxxie.Core.Proxmox;
using Moxxie.Core.VmDetail;
using Xunit;

namespace Moxxie.Tests.Unit.VmDetail;

public sealed class VmDetailRulesTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PendingOnly_KeepsRealChangesAndDeletes_NotUnchangedKeys()
    {
        var pending = VmDetailService.PendingOnly([
            new PendingChange("memory", "4096", "8192", false),
            new PendingChange("cores", "4", null, false),
            new PendingChange("name", "web-server-01", "web-server-01", false),
            new PendingChange("net1", "virtio=AA:BB:CC:DD:EE:00,bridge=vmbr1", null, true),
        ]);

        Assert.Equal(["memory", "net1"], pending.Select(p => p.Key));
    }

    [Fact]
    public void MetricPoints_SkipEmptySlots_AndAreOldestFirst()
    {
        var points = VmMetricPoint.From([
            new RrdPoint(T.AddMinutes(2), new Dictionary<string, double> { ["cpu"] = 0.2, ["mem"] = 100, ["netin"] = 5 }),
            new RrdPoint(T.AddMinutes(1), new Dictionary<string, double>()),
            new RrdPoint(T, new Dictionary<string, double> { ["cpu"] = 0.1 }),
        ]);

        Assert.Equal([T, T.AddMinutes(2)], points.Select(p => p.Time));
        Assert.Equal(0.2, points[1].Cpu);
        Assert.Equal(5, points[1].NetIn);
        Assert.Null(points[0].Mem);
    }

    [Fact]
    public void NodeLoadPoints_ReadLoadAverageCpuAndMemory()
    {
        var points = NodeLoadPoint.From([new RrdPoint(T, new Dictionary<string, double> { ["loadavg"] = 1.5, ["cpu"] = 0.25, ["memused"] = 42 })]);

        var p = Assert.Single(points);
        Assert.Equal((1.5, 0.25, 42d), (p.LoadAverage!.Value, p.Cpu!.Value, p.MemUsed!.Value));
    }

    [Theory]
    [InlineData("l26", "Linux 6.x - 2.6 Kernel")]
    [InlineData("win11", "Microsoft Windows 11/2022/2025")]
    [InlineData(null, "Other")]
    [InlineData("debian", "Debian")]
    [InlineData("something-new", "something-new")]
    public void OsType_AsPveShowsIt(string? ostype, string expected) => Assert.Equal(expected, GuestLabels.OsType(ostype));

    [Theory]
    [InlineData(0L, 4096L, "disabled (fixed memory)")]
    [InlineData(2048L, 4096L, "minimum 2.00 GiB of 4.00 GiB")]
    [InlineData(512L, null, "minimum 512 MiB")]
    [InlineData(null, 4096L, "enabled (minimum = memory)")]
    public void Balloon_Describes_DisabledMinimumOrDefault(long? balloon, long? memory, string expected) =>
        Assert.Equal(expected, GuestLabels.Balloon(balloon, memory));
}
