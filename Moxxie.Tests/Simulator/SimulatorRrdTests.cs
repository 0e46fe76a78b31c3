using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// rrddata of nodes, VMs, containers and storages as PVE 9 serves it (pve-cluster RRD.pm: resolution and rows per
/// timeframe, slots labelled by their start), consistent with the live counters and deterministic per seed.
/// </summary>
public sealed class SimulatorRrdTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Epoch = new(2026, 12, 5, 18, 30, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Epoch);
    private SimulatorHarness _sim = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(time: _clock);
        _api = _sim.WithToken();
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    private async Task<JsonArray> RrdAsync(string path)
    {
        var r = await _api.GetJsonAsync(path);
        Assert.True(r.Status == HttpStatusCode.OK, $"{path}: {(int)r.Status} {r.Reason}");
        return r.Data!.AsArray();
    }

    private static double D(JsonNode? row, string key) => row![key]!.GetValue<double>();

    [Theory]
    [InlineData("nodes/proxmox-01/rrddata", "hour", 60, 60)]
    [InlineData("nodes/proxmox-01/rrddata", "day", 60, 1440)]
    [InlineData("nodes/proxmox-02/rrddata", "week", 1800, 336)]
    [InlineData("nodes/proxmox-02/rrddata", "month", 1800, 1440)]
    [InlineData("nodes/proxmox-03/rrddata", "year", 21600, 1440)]
    [InlineData("nodes/proxmox-03/rrddata", "decade", 604800, 570)]
    [InlineData("nodes/proxmox-01/qemu/101/rrddata", "hour", 60, 60)]
    [InlineData("nodes/proxmox-01/qemu/101/rrddata", "day", 60, 1440)]
    [InlineData("nodes/proxmox-01/qemu/101/rrddata", "week", 1800, 336)]
    [InlineData("nodes/proxmox-01/lxc/200/rrddata", "month", 1800, 1440)]
    [InlineData("nodes/proxmox-01/lxc/200/rrddata", "year", 21600, 1440)]
    [InlineData("nodes/proxmox-01/storage/local-zfs/rrddata", "hour", 60, 60)]
    [InlineData("nodes/proxmox-02/storage/backup-nas/rrddata", "week", 1800, 336)]
    public async Task Timeframes_HavePve9ResolutionAndRowCount_EndingAtTheLastFullSlot(string path, string timeframe, int step, int count)
    {
        var rows = await RrdAsync($"{path}?timeframe={timeframe}");
        Assert.Equal(count, rows.Count);
        var times = rows.Select(r => r!["time"]!.GetValue<long>()).ToList();
        var ctime = step * (Epoch.ToUnixTimeSeconds() / step);
        Assert.Equal(ctime - step, times[^1]);
        Assert.Equal(ctime - (long)step * count, times[0]);
        Assert.All(times.Zip(times.Skip(1)), p => Assert.Equal(step, p.Second - p.First));
    }

    [Fact]
    public async Task Vm_HasPve9DataSources_AndAgreesWithItsLiveStatus()
    {
        var status = (await _api.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!;
        var rows = await RrdAsync("nodes/proxmox-01/qemu/101/rrddata?timeframe=hour&cf=AVERAGE");
        var last = rows[^1]!.AsObject();
        Assert.Equal(
            ["cpu", "disk", "diskread", "diskwrite", "maxcpu", "maxdisk", "maxmem", "mem", "memhost", "netin", "netout",
             "pressurecpufull", "pressurecpusome", "pressureiofull", "pressureiosome", "pressurememoryfull", "pressurememorysome", "time"],
            last.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(status["cpus"]!.GetValue<int>(), D(last, "maxcpu"));
        Assert.Equal(status["maxmem"]!.GetValue<long>(), D(last, "maxmem"));
        Assert.Equal(status["maxdisk"]!.GetValue<long>(), D(last, "maxdisk"));
        Assert.All(rows, r => Assert.InRange(D(r, "cpu"), 0.0005, 1.0));
        var liveMem = status["mem"]!.GetValue<long>();
        Assert.InRange(D(last, "mem"), liveMem * 0.8, liveMem * 1.2);
        Assert.True(D(last, "memhost") > D(last, "mem"), "the qemu process uses more host memory than the guest sees");
    }

    [Fact]
    public async Task NetworkRates_AreTheSlopeOfTheLiveCounters()
    {
        var before = (await _api.GetJsonAsync("nodes/proxmox-02/qemu/104/status/current")).Data!;
        _clock.Advance(TimeSpan.FromSeconds(120));
        var after = (await _api.GetJsonAsync("nodes/proxmox-02/qemu/104/status/current")).Data!;
        var rows = await RrdAsync("nodes/proxmox-02/qemu/104/rrddata?timeframe=hour");
        foreach (var counter in new[] { "netin", "netout", "diskwrite" })
        {
            var slope = (after[counter]!.GetValue<long>() - before[counter]!.GetValue<long>()) / 120.0;
            var rrd = (D(rows[^1], counter) + D(rows[^2], counter)) / 2;
            Assert.True(slope > 0, counter);
            Assert.InRange(rrd, slope - 0.05, slope + 0.05);
        }
    }

    [Fact]
    public async Task Max_IsAtLeastAverage_InEverySlot()
    {
        var avg = await RrdAsync("nodes/proxmox-01/qemu/109/rrddata?timeframe=week&cf=AVERAGE");
        var max = await RrdAsync("nodes/proxmox-01/qemu/109/rrddata?timeframe=week&cf=MAX");
        Assert.Equal(avg.Count, max.Count);
        for (var i = 0; i < avg.Count; i++)
        {
            Assert.True(D(max[i], "cpu") >= D(avg[i], "cpu"), $"slot {i}");
            Assert.True(D(max[i], "netin") >= D(avg[i], "netin") - 1e-9, $"slot {i}");
        }
        Assert.True(max.Any(r => D(r, "cpu") > avg.Select(a => D(a, "cpu")).Average()), "MAX is more than a copy of AVERAGE");
        var spread = avg.Select(r => D(r, "cpu")).ToList();
        Assert.True(spread.Max() > spread.Min() * 1.2, "a week of load is not a flat line");
    }

    [Fact]
    public async Task StoppedVm_ReportsIdleSlotsWithItsSize_AndAStoppedGuestLeavesIdleSlotsAfterItsStop()
    {
        var rows = await RrdAsync("nodes/proxmox-01/qemu/102/rrddata?timeframe=hour");
        Assert.All(rows, r => Assert.Equal((0.0, 0.0, 0.0, 16.0 * 1024 * 1024 * 1024), (D(r, "cpu"), D(r, "mem"), D(r, "netin"), D(r, "maxmem"))));

        _sim.Cluster.SetGuestStatus(101, "stopped");
        _clock.Advance(TimeSpan.FromMinutes(10));
        var after = await RrdAsync("nodes/proxmox-01/qemu/101/rrddata?timeframe=hour");
        Assert.All(after.TakeLast(9), r => Assert.Equal(0.0, D(r, "cpu")));
        Assert.All(after.Take(40), r => Assert.True(D(r, "cpu") > 0));
    }

    [Fact]
    public async Task Node_HasPve9DataSources_AndContainer_ReportsItsDisk()
    {
        var status = (await _api.GetJsonAsync("nodes/proxmox-01/status")).Data!;
        var rows = await RrdAsync("nodes/proxmox-01/rrddata?timeframe=hour&cf=AVERAGE");
        var last = rows[^1]!.AsObject();
        Assert.Equal(
            ["arcsize", "cpu", "iowait", "loadavg", "maxcpu", "memavailable", "memtotal", "memused", "netin", "netout",
             "pressurecpusome", "pressureiofull", "pressureiosome", "pressurememoryfull", "pressurememorysome", "roottotal", "rootused",
             "swaptotal", "swapused", "time"],
            last.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(status["memory"]!["total"]!.GetValue<long>(), D(last, "memtotal"));
        Assert.Equal(status["rootfs"]!["total"]!.GetValue<long>(), D(last, "roottotal"));
        Assert.Equal(status["swap"]!["used"]!.GetValue<long>(), D(last, "swapused"));
        var liveMem = status["memory"]!["used"]!.GetValue<long>();
        Assert.InRange(D(last, "memused"), liveMem * 0.85, liveMem * 1.15);
        Assert.Equal(D(last, "memtotal") - D(last, "memused"), D(last, "memavailable"), 3);
        Assert.True(D(last, "arcsize") > 0, "ZFS node has an ARC");

        var ct = (await RrdAsync("nodes/proxmox-01/lxc/200/rrddata?timeframe=day"))[^1]!;
        Assert.True(D(ct, "disk") > 0 && D(ct, "disk") < D(ct, "maxdisk"));
    }

    [Fact]
    public async Task Storage_ReportsTotalAndUsed_MatchingItsStatus_AndSmallerBeforeRecentBackups()
    {
        var status = (await _api.GetJsonAsync("nodes/proxmox-01/storage/backup-nas/status")).Data!;
        var rows = await RrdAsync("nodes/proxmox-01/storage/backup-nas/rrddata?timeframe=week");
        Assert.Equal(["time", "total", "used"], rows[^1]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(status["total"]!.GetValue<long>(), D(rows[^1], "total"));
        Assert.Equal(status["used"]!.GetValue<long>(), D(rows[^1], "used"));
        Assert.True(D(rows[0], "used") < D(rows[^1], "used"), "the nightly backups of the last days grew the storage");
    }

    [Fact]
    public async Task SameSeedAndTime_GiveTheSameHistory()
    {
        await using var other = await SimulatorHarness.StartAsync(time: new ManualTimeProvider(Epoch));
        var a = (await _api.GetJsonAsync("nodes/proxmox-02/rrddata?timeframe=day")).Body.ToJsonString();
        var b = (await other.WithToken().GetJsonAsync("nodes/proxmox-02/rrddata?timeframe=day")).Body.ToJsonString();
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("nodes/proxmox-01/qemu/101/rrddata?timeframe=minute", "timeframe")]
    [InlineData("nodes/proxmox-01/qemu/101/rrddata?timeframe=decade", "timeframe")]
    [InlineData("nodes/proxmox-01/qemu/101/rrddata", "timeframe")]
    [InlineData("nodes/proxmox-01/rrddata?timeframe=hour&cf=MIN", "cf")]
    [InlineData("nodes/proxmox-01/rrddata?timeframe=hour&ds=cpu", "ds")]
    [InlineData("nodes/proxmox-01/qemu/99/rrddata?timeframe=hour", "vmid")]
    public async Task SchemaInvalidCalls_Answer400(string path, string param)
    {
        var r = await _api.GetJsonAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("Parameter verification failed.", r.Reason);
        Assert.NotNull(r.Body["errors"]![param]);
    }

    [Fact]
    public async Task UnknownVmid_AnswersPvesRrdError()
    {
        var r = await _api.GetJsonAsync("nodes/proxmox-01/qemu/4242/rrddata?timeframe=hour");
        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal("RRD error: opening '/var/lib/rrdcached/db/pve-vm-9.0/4242': No such file or directory", r.Reason);
    }
}
