using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;
using static Moxxie.Tests.Simulator.SimulatorFaultControlTests;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// POST /_sim/nodes/{node}/storage/{storage}/usage fixes what a storage reports as used, the same in nodes/{node}/storage,
/// …/storage/{storage}/status and cluster/resources (disk/maxdisk), as PVE reports one figure everywhere; and
/// POST /_sim/guests/{vmid}/fail-next-task makes the guest's next task end in an error.
/// </summary>
public sealed class SimulatorStorageUsageControlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(long Used, long Total)> ListedAsync(HttpClient api, string node, string storage)
    {
        var row = (await api.GetJsonAsync($"nodes/{node}/storage")).Data!.AsArray().Single(s => s!["storage"]!.GetValue<string>() == storage)!;
        return (row["used"]!.GetValue<long>(), row["total"]!.GetValue<long>());
    }

    private static async Task<(long Used, long Total, long Avail)> StatusAsync(HttpClient api, string node, string storage)
    {
        var s = (await api.GetJsonAsync($"nodes/{node}/storage/{storage}/status")).Data!;
        return (s["used"]!.GetValue<long>(), s["total"]!.GetValue<long>(), s["avail"]!.GetValue<long>());
    }

    private static async Task<(long Disk, long MaxDisk)> ResourceAsync(HttpClient api, string node, string storage)
    {
        var r = (await api.GetJsonAsync("cluster/resources?type=storage")).Data!.AsArray()
            .Single(s => s!["id"]!.GetValue<string>() == $"storage/{node}/{storage}")!;
        return (r["disk"]!.GetValue<long>(), r["maxdisk"]!.GetValue<long>());
    }

    [Fact]
    public async Task StorageUsage_SetByFractionOrBytes_IsReportedConsistently_AndNullRestoresTheContentDrivenFigure()
    {
        await using var sim = await SimulatorHarness.StartAsync("demo");
        var control = Control(sim);
        var api = sim.WithToken();
        var (before, total) = await ListedAsync(api, "proxmox-02", "local-zfs");
        var otherNodeBefore = (await ListedAsync(api, "proxmox-01", "local-zfs")).Used;

        var set = await PostAsync(control, "nodes/proxmox-02/storage/local-zfs/usage", new { fraction = 0.85 });
        var expected = (long)Math.Round(total * 0.85);
        Assert.Equal(expected, set["used"]!.GetValue<long>());
        Assert.Equal(total, set["total"]!.GetValue<long>());
        Assert.Equal((expected, total), await ListedAsync(api, "proxmox-02", "local-zfs"));
        Assert.Equal((expected, total, total - expected), await StatusAsync(api, "proxmox-02", "local-zfs"));
        Assert.Equal((expected, total), await ResourceAsync(api, "proxmox-02", "local-zfs"));
        Assert.Equal(otherNodeBefore, (await ListedAsync(api, "proxmox-01", "local-zfs")).Used);   // a local storage: that node only

        await PostAsync(control, "nodes/proxmox-02/storage/local-zfs/usage", new { used = 1234567L });
        Assert.Equal((1234567L, total), await ResourceAsync(api, "proxmox-02", "local-zfs"));
        Assert.Equal(1234567L, (await StatusAsync(api, "proxmox-02", "local-zfs")).Used);

        var cleared = await PostAsync(control, "nodes/proxmox-02/storage/local-zfs/usage", JsonNode.Parse("""{"used":null}"""));
        Assert.Equal(before, cleared["used"]!.GetValue<long>());
        Assert.Equal((before, total), await ResourceAsync(api, "proxmox-02", "local-zfs"));
    }

    [Fact]
    public async Task SharedStorage_ReportsTheSetUsage_OnEveryNode_AndResetClearsIt()
    {
        await using var sim = await SimulatorHarness.StartAsync("demo");
        var control = Control(sim);
        var api = sim.WithToken();
        var before = (await ListedAsync(api, "proxmox-03", "backup-nas")).Used;

        await PostAsync(control, "nodes/proxmox-01/storage/backup-nas/usage", new { fraction = 0.95 });
        var (used, total) = await ResourceAsync(api, "proxmox-01", "backup-nas");
        Assert.Equal((long)Math.Round(total * 0.95), used);
        foreach (var node in new[] { "proxmox-02", "proxmox-03" })
        {
            Assert.Equal((used, total), await ResourceAsync(api, node, "backup-nas"));
            Assert.Equal((used, total), await ListedAsync(api, node, "backup-nas"));
        }

        await PostAsync(control, "reset");
        Assert.Equal(before, (await ListedAsync(api, "proxmox-03", "backup-nas")).Used);
    }

    [Theory]
    [InlineData("nodes/proxmox-02/storage/local-zfs/usage", """{"fraction":1.5}""", HttpStatusCode.BadRequest)]
    [InlineData("nodes/proxmox-02/storage/local-zfs/usage", """{"used":-1}""", HttpStatusCode.BadRequest)]
    [InlineData("nodes/proxmox-02/storage/local-zfs/usage", """{}""", HttpStatusCode.BadRequest)]
    [InlineData("nodes/proxmox-02/storage/nope/usage", """{"fraction":0.5}""", HttpStatusCode.NotFound)]
    [InlineData("nodes/nope/storage/local-zfs/usage", """{"fraction":0.5}""", HttpStatusCode.NotFound)]
    [InlineData("guests/99999/fail-next-task", """{"message":"x"}""", HttpStatusCode.BadRequest)]
    public async Task Control_RefusesWhatPveCouldNotReport(string path, string body, HttpStatusCode expected)
    {
        await using var sim = await SimulatorHarness.StartAsync("demo");
        using var response = await Control(sim).PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task FailNextTask_OverHttp_EndsTheGuestsNextTaskWithThatError()
    {
        await using var sim = await SimulatorHarness.StartAsync("demo", taskSpeed: 50);
        var api = sim.WithToken();
        await PostAsync(Control(sim), "guests/119/fail-next-task", new { message = "start failed: QEMU exited with code 1" });

        var upid = (await api.PostFormAsync("nodes/proxmox-03/qemu/119/status/start")).Data!.GetValue<string>();
        var done = await ApiCall.WaitForAsync(
            async () => (await api.GetJsonAsync($"nodes/proxmox-03/tasks/{Uri.EscapeDataString(upid)}/status")).Data!,
            s => s["status"]!.GetValue<string>() == "stopped");
        Assert.Equal("start failed: QEMU exited with code 1", done["exitstatus"]!.GetValue<string>());
        Assert.Equal("stopped", sim.Server.Cluster.FindGuest(119)!.Status);
    }
}
