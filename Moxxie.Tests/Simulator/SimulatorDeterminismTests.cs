using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>Same seed at the same simulated time → the same answers; counters move monotonically as time passes.</summary>
public sealed class SimulatorDeterminismTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static async Task<string> ResourcesAsync(SimulatorHarness sim) =>
        (await sim.WithToken().GetJsonAsync("cluster/resources")).Body.ToJsonString();

    [Fact]
    public async Task SameSeedAndTime_GiveIdenticalClusterResources_AndStayIdenticalAsTimeMoves()
    {
        var clockA = new ManualTimeProvider(Epoch);
        var clockB = new ManualTimeProvider(Epoch);
        await using var a = await SimulatorHarness.StartAsync(seed: 42, time: clockA);
        await using var b = await SimulatorHarness.StartAsync(seed: 42, time: clockB);

        Assert.Equal(await ResourcesAsync(a), await ResourcesAsync(b));

        clockA.Advance(TimeSpan.FromSeconds(93));
        clockB.Advance(TimeSpan.FromSeconds(93));
        Assert.Equal(await ResourcesAsync(a), await ResourcesAsync(b));

        var upidA = (await a.WithToken().PostFormAsync("nodes/proxmox-01/qemu/102/status/start")).Data!.GetValue<string>();
        var upidB = (await b.WithToken().PostFormAsync("nodes/proxmox-01/qemu/102/status/start")).Data!.GetValue<string>();
        Assert.Equal(upidA[..^"root@pam!moxxie:".Length], upidB[..^"root@pam!moxxie:".Length]);
    }

    [Fact]
    public async Task DifferentSeeds_GiveDifferentCounters()
    {
        await using var a = await SimulatorHarness.StartAsync(seed: 1, time: new ManualTimeProvider(Epoch));
        await using var b = await SimulatorHarness.StartAsync(seed: 2, time: new ManualTimeProvider(Epoch));
        Assert.NotEqual(await ResourcesAsync(a), await ResourcesAsync(b));
    }

    [Fact]
    public async Task SimulatedTime_DrivesTasksUptimeAndMonotonicCounters()
    {
        var clock = new ManualTimeProvider(Epoch);
        await using var sim = await SimulatorHarness.StartAsync(taskSpeed: 1, time: clock);
        var api = sim.WithToken();
        var before = (await api.GetJsonAsync("nodes/proxmox-02/qemu/104/status/current")).Data!;
        var firstUptime = before["uptime"]!.GetValue<long>();
        var upid = (await api.PostFormAsync("nodes/proxmox-01/qemu/102/status/start")).Data!.GetValue<string>();

        for (var i = 1; i <= 12; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            var now = (await api.GetJsonAsync("nodes/proxmox-02/qemu/104/status/current")).Data!;
            Assert.Equal(firstUptime + 5 * i, now["uptime"]!.GetValue<long>());
            foreach (var counter in new[] { "netin", "netout", "diskread", "diskwrite" })
                Assert.True(now[counter]!.GetValue<long>() > before[counter]!.GetValue<long>(), $"{counter} at step {i}");
            before = now;
        }

        // 60 simulated seconds later a 1–3 s start has certainly finished, without any real waiting.
        var status = (await api.GetJsonAsync($"nodes/proxmox-01/tasks/{Uri.EscapeDataString(upid)}/status")).Data!;
        Assert.Equal("OK", status["exitstatus"]!.GetValue<string>());
        Assert.Equal("running", sim.Cluster.FindGuest(102)!.Status);
    }

    [Fact]
    public async Task Ticket_ExpiresAfterTwoHoursOfSimulatedTime()
    {
        var clock = new ManualTimeProvider(Epoch);
        await using var sim = await SimulatorHarness.StartAsync("single", time: clock);
        var (ticket, _) = await sim.LoginAsync();
        var client = sim.Create(c => c.DefaultRequestHeaders.Add("Cookie", $"PVEAuthCookie={Uri.EscapeDataString(ticket)}"));

        clock.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetJsonAsync("version")).Status);

        clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await client.GetJsonAsync("version");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, expired.Status);
        Assert.Equal("Authentication failed!", expired.Reason);
    }
}
