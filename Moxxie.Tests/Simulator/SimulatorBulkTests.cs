using Moxxie.Simulator;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>The simulator knobs of issue 7's tests and benchmark: the "bulk" preset, a fixed task duration and latency on
/// the answer (the call is carried out, the client may never hear of it).</summary>
public sealed class SimulatorBulkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bulk_preset_has_ten_nodes_and_a_thousand_running_vms_spread_evenly()
    {
        await using var h = await SimulatorHarness.StartAsync("bulk");
        Assert.Equal(10, h.Cluster.NodeNames.Count);
        var vms = h.Cluster.Guests.Where(g => !g.Template).ToList();
        Assert.Equal(1000, vms.Count);
        Assert.All(vms, g => Assert.Equal("running", g.Status));
        Assert.All(vms.GroupBy(g => g.Node), g => Assert.Equal(100, g.Count()));
        Assert.Equal(100, vms.Count(g => g.Tags.Contains("canary", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Response_latency_carries_out_the_call_even_when_the_client_gives_up_and_fixed_durations_apply()
    {
        await using var h = await SimulatorHarness.StartAsync("bulk");
        h.Server.Control.TaskSeconds = 0.2;
        var fault = h.Server.Control.AddResponseLatency("POST nodes/*/qemu/*/status/stop", 5_000);
        Assert.True(fault.OnResponse);
        using var client = h.WithToken();
        // Connect first (TLS included) so the give-up below can only happen while the simulator sits on the answer:
        // on a loaded machine a 500 ms budget could run out before the POST was even sent.
        client.Timeout = TimeSpan.FromSeconds(3);   // the answer is held 5 s
        (await client.GetAsync("version", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => client.PostFormAsync("nodes/pve01/qemu/1000/status/stop"));
        var guest = await ApiCall.WaitForAsync(() => Task.FromResult(h.Cluster.FindGuest(1000)!), g => g.Status == "stopped", TimeSpan.FromSeconds(10));
        Assert.Equal("stopped", guest.Status);   // PVE did the work although the answer never arrived
        Assert.Equal(1, h.Server.Control.ApiRequestsMatching("POST nodes/*/qemu/*/status/stop"));

        h.Server.Control.TaskSeconds = null;
        Assert.Null(h.Server.Control.TaskSeconds);
        Assert.Throws<ArgumentException>(() => h.Server.Control.TaskSeconds = -1);
    }
}
