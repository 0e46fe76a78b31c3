using System.Diagnostics;
using System.Net;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;
using Moxxie.Simulator.Faults;
using Moxxie.Tests.Integration.Proxmox;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// Each fault kind as a client sees it: raw HTTPS and Moxxie's own PVE client (gateway). Faults are switched on through
/// /_sim/ or the in-process SimulatorControl.
/// </summary>
public sealed class SimulatorFaultBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Moxxie's real PVE client (gateway) pointed at the simulator with its token and pinned certificate.</summary>
    private static ProxmoxGateway Gateway(SimulatorHarness sim, ProxmoxOptions? options = null) =>
        PveTestHost.Factory(options).CreateGateway(new ProxmoxConnectionSettings(
            "sim", sim.Server.BaseUrl, sim.Server.TokenId, sim.Server.TokenSecret, sim.Server.CertificateFingerprint, false));

    [Fact]
    public async Task Latency_DelaysOnlyMatchingCalls()
    {
        await using var sim = await SimulatorHarness.StartAsync("small");
        var api = sim.WithToken();
        await api.GetJsonAsync("version");   // warm the connection
        await SimulatorFaultControlTests.PostAsync(SimulatorFaultControlTests.Control(sim), "faults",
            new { pattern = "GET nodes/*/qemu", latencyMs = 400, jitterMs = 50 });

        var slow = Stopwatch.StartNew();
        var r = await api.GetJsonAsync("nodes/proxmox-01/qemu");
        slow.Stop();
        var fast = Stopwatch.StartNew();
        await api.GetJsonAsync("nodes/proxmox-01/lxc");
        fast.Stop();

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.True(slow.ElapsedMilliseconds >= 340, $"matching call took {slow.ElapsedMilliseconds} ms");
        Assert.True(fast.ElapsedMilliseconds < slow.ElapsedMilliseconds, $"other call took {fast.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Error_AnswersWithPveStatusAndReason_RawAndThroughMoxxiesClient()
    {
        await using var sim = await SimulatorHarness.StartAsync("small");
        var control = sim.Server.Control;
        control.AddError("GET nodes/*/qemu", 595);
        control.AddError("GET cluster/resources", 500, "unable to read file '/etc/pve/.vmlist'", count: 1);

        var raw = await sim.WithToken().GetJsonAsync("nodes/proxmox-01/qemu");
        Assert.Equal(595, (int)raw.Status);
        Assert.Equal("Connection timed out", raw.Reason);
        Assert.Null(raw.Data);

        using var gateway = Gateway(sim);
        var error = await Assert.ThrowsAsync<ProxmoxException>(() => gateway.GetResourcesAsync(Ct));
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("unable to read file '/etc/pve/.vmlist'", error.Message);
        Assert.NotEmpty((await gateway.GetResourcesAsync(Ct)).Guests);   // count 1: the next call is normal again
        Assert.Single(control.Status.Faults);
    }

    [Fact]
    public async Task ErrorRate_FailsAboutThatShareOfCalls()
    {
        await using var sim = await SimulatorHarness.StartAsync("single");
        sim.Server.Control.AddError("GET version", 503, rate: 0.3);
        var api = sim.WithToken();
        var failed = 0;
        for (var i = 0; i < 200; i++)
            if ((await api.GetJsonAsync("version")).Status == HttpStatusCode.ServiceUnavailable) failed++;
        Assert.InRange(failed, 30, 90);
    }

    [Fact]
    public async Task Timeout_HangsUntilTheClientGivesUp_AndAnswersOnceRemoved()
    {
        await using var sim = await SimulatorHarness.StartAsync("small");
        var fault = sim.Server.Control.AddTimeout("GET cluster/status");

        using var gateway = Gateway(sim, new ProxmoxOptions { Timeout = TimeSpan.FromMilliseconds(400), ReadRetries = 0 });
        var gaveUp = await Assert.ThrowsAsync<ProxmoxException>(() => gateway.GetClusterStatusAsync(Ct));
        Assert.True(gaveUp.Unreachable, gaveUp.Message);
        Assert.NotEmpty((await gateway.GetResourcesAsync(Ct)).Guests);   // other calls answer
        await ApiCall.WaitForAsync(() => Task.FromResult(sim.Server.Control.Status.HangingCalls), n => n == 0);

        var hanging = sim.WithToken().GetJsonAsync("cluster/status");
        await ApiCall.WaitForAsync(() => Task.FromResult(sim.Server.Control.Status.HangingCalls), n => n == 1);
        Assert.False(hanging.IsCompleted);
        sim.Server.Control.RemoveFault(fault.Id);
        var answered = await hanging.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(HttpStatusCode.OK, answered.Status);
    }

    [Fact]
    public async Task NodeOffline_ShowsInClusterStatusNodesAndResources_AndCallsToItFailWith595()
    {
        await using var sim = await SimulatorHarness.StartAsync("small");
        await SimulatorFaultControlTests.PostAsync(SimulatorFaultControlTests.Control(sim), "nodes/proxmox-02/offline");
        using var gateway = Gateway(sim);

        var status = await gateway.GetClusterStatusAsync(Ct);
        Assert.False(status.Nodes.Single(n => n.Name == "proxmox-02").Online);
        Assert.True(status.Nodes.Single(n => n.Name == "proxmox-01").Online);
        Assert.True(status.Quorate);   // 2 of 3 still form a quorum

        var resources = await gateway.GetResourcesAsync(Ct);
        Assert.Equal("offline", resources.Nodes.Single(n => n.Node == "proxmox-02").Status);
        Assert.All(resources.Guests.Where(g => g.Node == "proxmox-02"), g => Assert.Equal("unknown", g.Status));
        Assert.Contains(resources.Guests, g => g.Node == "proxmox-01" && g.Status == "running");

        var nodes = (await sim.WithToken().GetJsonAsync("nodes")).Data!.AsArray();
        Assert.Equal("offline", nodes.Single(n => n!["node"]!.GetValue<string>() == "proxmox-02")!["status"]!.GetValue<string>());
        var routed = await sim.WithToken().GetJsonAsync("nodes/proxmox-02/qemu");
        Assert.Equal(595, (int)routed.Status);
        var power = await Assert.ThrowsAsync<ProxmoxException>(() => gateway.PowerAsync("proxmox-02", 104, GuestType.Qemu, PowerAction.Stop, Ct));
        Assert.Equal(595, power.StatusCode);

        await SimulatorFaultControlTests.PostAsync(SimulatorFaultControlTests.Control(sim), "nodes/proxmox-02/online");
        Assert.True((await gateway.GetClusterStatusAsync(Ct)).Nodes.All(n => n.Online));
        Assert.Equal("running", (await gateway.GetResourcesAsync(Ct)).Guests.Single(g => g.VmId == 104).Status);
    }

    [Fact]
    public async Task ApiDown_AbortsEveryCall_WhileControlStillAnswers_AndComesBack()
    {
        await using var sim = await SimulatorHarness.StartAsync("small");
        var control = SimulatorFaultControlTests.Control(sim);
        using var gateway = Gateway(sim, new ProxmoxOptions { ReadRetries = 0 });
        await SimulatorFaultControlTests.PostAsync(control, "api/down", new { mode = "abort" });

        await Assert.ThrowsAsync<HttpRequestException>(() => sim.WithToken().GetAsync("version", Ct));
        var down = await Assert.ThrowsAsync<ProxmoxException>(() => gateway.GetClusterStatusAsync(Ct));
        Assert.True(down.Unreachable, down.Message);
        Assert.Equal("abort", (await SimulatorFaultControlTests.GetAsync(control, "faults"))["apiDown"]!.GetValue<string>());

        await SimulatorFaultControlTests.PostAsync(control, "api/down", new { mode = "503" });
        var unavailable = await sim.WithToken().GetJsonAsync("version");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.Status);
        Assert.Equal("Service Unavailable", unavailable.Reason);

        await SimulatorFaultControlTests.PostAsync(control, "api/up");
        Assert.Equal("production-cluster", (await gateway.GetClusterStatusAsync(Ct)).Name);
    }

    [Fact]
    public async Task ClockAdvance_MovesSimulatedTime_UptimesAndLongTasks()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
        await using var sim = await SimulatorHarness.StartAsync("small", taskSpeed: 1, time: clock);
        var api = sim.WithToken();
        var uptime = (await api.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!["uptime"]!.GetValue<long>();
        var upid = (await api.PostFormAsync("nodes/proxmox-01/qemu/102/status/start")).Data!.GetValue<string>();
        Assert.Equal("running", sim.Cluster.FindTask(upid)!.Status);

        var advanced = await SimulatorFaultControlTests.PostAsync(SimulatorFaultControlTests.Control(sim), "clock/advance", new { seconds = 600 });

        Assert.Equal(600, advanced["offsetSeconds"]!.GetValue<double>());
        Assert.Equal(clock.GetUtcNow().AddSeconds(600).ToUnixTimeSeconds(), advanced["epoch"]!.GetValue<long>());
        Assert.Equal(uptime + 600, (await api.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!["uptime"]!.GetValue<long>());
        Assert.Equal("OK", sim.Cluster.FindTask(upid)!.ExitStatus);
        Assert.Equal(clock.GetUtcNow().AddSeconds(600), sim.Cluster.Now);

        sim.Server.Control.AdvanceClock(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromSeconds(4200), sim.Server.Control.Status.ClockOffset);
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Server.Control.AdvanceClock(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public async Task InProcessControl_DoesWhatTheHttpEndpointDoes()
    {
        await using var sim = await SimulatorHarness.StartAsync("small");
        var control = sim.Server.Control;
        control.SetNodeOnline("proxmox-03", false);
        control.SetApiDown(ApiDownMode.Unavailable);
        control.AddLatency("GET version", 10);

        var listed = await SimulatorFaultControlTests.GetAsync(SimulatorFaultControlTests.Control(sim), "faults");
        Assert.Equal(["proxmox-03"], listed["offlineNodes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("503", listed["apiDown"]!.GetValue<string>());
        Assert.Equal("GET version", listed["faults"]![0]!["pattern"]!.GetValue<string>());

        control.Reset();
        Assert.Empty(control.Status.Faults);
        Assert.Empty(control.Status.OfflineNodes);
        Assert.Null(control.Status.ApiDown);
    }
}
