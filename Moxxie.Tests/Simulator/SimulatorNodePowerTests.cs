using System.Net;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>POST /nodes/{node}/status: reboot and shutdown take the node down after its guests stop; a reboot brings it back.</summary>
public sealed class SimulatorNodePowerTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 12, 5, 18, 30, 0, TimeSpan.Zero);

    private static async Task<int> OnlineAsync(HttpClient api, string node) =>
        (await api.GetJsonAsync("cluster/status")).Data!.AsArray().Single(e => e!["name"]!.GetValue<string>() == node)!["online"]!.GetValue<int>();

    [Fact]
    public async Task Reboot_StopsGuests_TakesTheNodeDown_AndBringsItBackWithOnbootGuests()
    {
        var clock = new ManualTimeProvider(Epoch);
        await using var sim = await SimulatorHarness.StartAsync(taskSpeed: 1, time: clock);
        var api = sim.WithToken();
        var onboot = sim.Cluster.Guests.Where(g => g.Node == "proxmox-02" && g.Status == "running").Select(g => g.Vmid)
            .Where(v => sim.Cluster.GuestConfig(v).GetValueOrDefault("onboot") == "1").ToList();

        var r = await api.PostFormAsync("nodes/proxmox-02/status", new Dictionary<string, string> { ["command"] = "reboot" });
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Null(r.Data);
        Assert.Equal(1, await OnlineAsync(api, "proxmox-02"));

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await OnlineAsync(api, "proxmox-02"));
        Assert.Equal((HttpStatusCode)595, (await api.GetJsonAsync("nodes/proxmox-02/status")).Status);
        Assert.All(sim.Cluster.Guests.Where(g => g.Node == "proxmox-02"), g => Assert.Equal("stopped", g.Status));

        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(1, await OnlineAsync(api, "proxmox-02"));
        var uptime = (await api.GetJsonAsync("nodes/proxmox-02/status")).Data!["uptime"]!.GetValue<long>();
        Assert.InRange(uptime, 0, 60);
        Assert.All(onboot, v => Assert.Equal("running", sim.Cluster.FindGuest(v)!.Status));
    }

    [Fact]
    public async Task Shutdown_KeepsTheNodeDown_AndABadCommandIsRefused()
    {
        var clock = new ManualTimeProvider(Epoch);
        await using var sim = await SimulatorHarness.StartAsync(taskSpeed: 1, time: clock);
        var api = sim.WithToken();
        var bad = await api.PostFormAsync("nodes/proxmox-03/status", new Dictionary<string, string> { ["command"] = "halt" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.Body["errors"]!["command"]);

        await api.PostFormAsync("nodes/proxmox-03/status", new Dictionary<string, string> { ["command"] = "shutdown" });
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await OnlineAsync(api, "proxmox-03"));
    }
}
