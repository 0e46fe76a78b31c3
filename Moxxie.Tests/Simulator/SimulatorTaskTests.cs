using Xunit;
using System.Net;
using System.Text.Json.Nodes;

namespace Moxxie.Tests.Simulator;

/// <summary>Worker tasks: UPIDs, lifecycle, exit status, logs, stopping, and the guest state changes they cause.</summary>
public sealed class SimulatorTaskTests : IAsyncLifetime
{
    private const string UpidPattern = "^UPID:[A-Za-z0-9][A-Za-z0-9-]*:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[a-z]+:[^:]*:[^:]+:$";
    private SimulatorHarness _sim = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(taskSpeed: 10);
        _api = _sim.WithToken();
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    private async Task<string> PostUpidAsync(string path, IDictionary<string, string>? form = null)
    {
        var r = await _api.PostFormAsync(path, form);
        Assert.True(r.Status == HttpStatusCode.OK, $"{path}: {(int)r.Status} {r.Reason}");
        return r.Data!.GetValue<string>();
    }

    private Task<JsonNode> StatusAsync(string node, string upid) =>
        _api.GetJsonAsync($"nodes/{node}/tasks/{Uri.EscapeDataString(upid)}/status").ContinueWith(t => t.Result.Data!);

    private Task<JsonNode> WaitStoppedAsync(string node, string upid) =>
        ApiCall.WaitForAsync(() => StatusAsync(node, upid), s => s["status"]!.GetValue<string>() == "stopped");

    [Fact]
    public async Task Start_ReturnsUpid_InPveFormat_ConsistentWithStatusFields()
    {
        var upid = await PostUpidAsync("nodes/proxmox-01/qemu/102/status/start");

        Assert.Matches(UpidPattern, upid);
        var parts = upid.Split(':');
        Assert.Equal(("proxmox-01", "qmstart", "102", "root@pam!moxxie"), (parts[1], parts[5], parts[6], parts[7]));
        var s = await StatusAsync("proxmox-01", upid);
        Assert.Equal(Convert.ToInt64(parts[2], 16), s["pid"]!.GetValue<long>());
        Assert.Equal(Convert.ToInt64(parts[3], 16), s["pstart"]!.GetValue<long>());
        Assert.Equal(Convert.ToInt64(parts[4], 16), s["starttime"]!.GetValue<long>());
        Assert.Equal("root@pam", s["user"]!.GetValue<string>());
        Assert.Equal("moxxie", s["tokenid"]!.GetValue<string>());
        Assert.Equal(upid, s["upid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_RunsThenStopsWithOk_AndGuestBecomesRunning()
    {
        Assert.Equal("stopped", _sim.Cluster.FindGuest(120)!.Status);
        var upid = await PostUpidAsync("nodes/proxmox-01/qemu/120/status/start");

        var first = await StatusAsync("proxmox-01", upid);
        Assert.Equal("running", first["status"]!.GetValue<string>());
        Assert.Null(first["exitstatus"]);
        Assert.Equal("stopped", _sim.Cluster.FindGuest(120)!.Status);   // changes only when the task ends

        var done = await WaitStoppedAsync("proxmox-01", upid);
        Assert.Equal("OK", done["exitstatus"]!.GetValue<string>());
        Assert.Equal("running", _sim.Cluster.FindGuest(120)!.Status);
        var current = (await _api.GetJsonAsync("nodes/proxmox-01/qemu/120/status/current")).Data!;
        Assert.Equal("running", current["status"]!.GetValue<string>());
        Assert.True(current["pid"]!.GetValue<int>() > 0);

        var log = (await _api.GetJsonAsync($"nodes/proxmox-01/tasks/{Uri.EscapeDataString(upid)}/log")).Body;
        Assert.Equal("TASK OK", log["data"]!.AsArray().Last()!["t"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartingARunningVm_EndsWithTaskErrorAlreadyRunning()
    {
        var upid = await PostUpidAsync("nodes/proxmox-01/qemu/101/status/start");

        var done = await WaitStoppedAsync("proxmox-01", upid);
        Assert.Equal("VM 101 already running", done["exitstatus"]!.GetValue<string>());
        var log = (await _api.GetJsonAsync($"nodes/proxmox-01/tasks/{Uri.EscapeDataString(upid)}/log")).Body;
        Assert.Equal("TASK ERROR: VM 101 already running", log["data"]!.AsArray().Last()!["t"]!.GetValue<string>());
        var listed = (await _api.GetJsonAsync("nodes/proxmox-01/tasks?errors=1")).Data!.AsArray();
        Assert.Contains(listed, t => t!["upid"]!.GetValue<string>() == upid && t["status"]!.GetValue<string>() == "VM 101 already running");
    }

    [Fact]
    public async Task Shutdown_StopsTheVm_AndTaskListsShowIt()
    {
        var upid = await PostUpidAsync("nodes/proxmox-02/qemu/105/status/shutdown");
        var clusterTasks = (await _api.GetJsonAsync("cluster/tasks")).Data!.AsArray();
        var running = clusterTasks.Single(t => t!["upid"]!.GetValue<string>() == upid)!;
        Assert.Null(running["endtime"]);

        await WaitStoppedAsync("proxmox-02", upid);
        Assert.Equal("stopped", _sim.Cluster.FindGuest(105)!.Status);
        var list = await _api.GetJsonAsync("nodes/proxmox-02/tasks?typefilter=qmshutdown");
        var entry = list.Data!.AsArray().Single(t => t!["upid"]!.GetValue<string>() == upid)!;
        Assert.Equal("OK", entry["status"]!.GetValue<string>());
        Assert.True(entry["endtime"]!.GetValue<long>() >= entry["starttime"]!.GetValue<long>());
        Assert.Equal(list.Data!.AsArray().Count, list.Body["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task ShutdownOfPausedVm_IsRefusedLikePve_ResumeMakesItRunAgain()
    {
        var paused = _sim.Cluster.Guests.Single(g => g.QmpStatus == "paused");
        var refused = await _api.PostFormAsync($"nodes/{paused.Node}/qemu/{paused.Vmid}/status/shutdown");
        Assert.Equal(HttpStatusCode.InternalServerError, refused.Status);
        Assert.Equal("VM is paused - cannot shutdown", refused.Reason);

        var upid = await PostUpidAsync($"nodes/{paused.Node}/qemu/{paused.Vmid}/status/resume");
        await WaitStoppedAsync(paused.Node, upid);
        Assert.Equal("running", _sim.Cluster.FindGuest(paused.Vmid)!.QmpStatus);
    }

    [Fact]
    public async Task ResetOfStoppedVm_Answers500NotRunning()
    {
        var r = await _api.PostFormAsync("nodes/proxmox-01/qemu/102/status/reset");
        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal("VM 102 not running", r.Reason);
    }

    [Fact]
    public async Task LxcStart_OfRunningContainer_Answers500AlreadyRunning_StopWorks()
    {
        var running = await _api.PostFormAsync("nodes/proxmox-01/lxc/200/status/start");
        Assert.Equal("CT 200 already running", running.Reason);

        var upid = await PostUpidAsync("nodes/proxmox-01/lxc/200/status/stop");
        Assert.Contains(":vzstop:200:", upid);
        await WaitStoppedAsync("proxmox-01", upid);
        Assert.Equal("stopped", _sim.Cluster.FindGuest(200)!.Status);
    }

    [Fact]
    public async Task LockedVm_TaskFailsWithLockMessage()
    {
        _sim.Cluster.SetGuestLock(124, "backup");
        var upid = await PostUpidAsync("nodes/proxmox-03/qemu/124/status/start");
        var done = await WaitStoppedAsync("proxmox-03", upid);
        Assert.Equal("VM is locked (backup)", done["exitstatus"]!.GetValue<string>());
        Assert.Equal("stopped", _sim.Cluster.FindGuest(124)!.Status);
        Assert.Equal("backup", (await _api.GetJsonAsync("nodes/proxmox-03/qemu/124/status/current")).Data!["lock"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailNextTask_EndsWithThatError_AndChangesNothing()
    {
        _sim.Cluster.FailNextTask(119, "start failed: QEMU exited with code 1");
        var upid = await PostUpidAsync("nodes/proxmox-03/qemu/119/status/start");
        var done = await WaitStoppedAsync("proxmox-03", upid);
        Assert.Equal("start failed: QEMU exited with code 1", done["exitstatus"]!.GetValue<string>());
        Assert.Equal("stopped", _sim.Cluster.FindGuest(119)!.Status);
    }

    [Fact]
    public async Task DeleteTask_StopsARunningTask_WhichEndsInterrupted()
    {
        await using var slow = await SimulatorHarness.StartAsync(taskSpeed: 0.05);   // start takes ≥ 20 s here
        var api = slow.WithToken();
        var upid = (await api.PostFormAsync("nodes/proxmox-01/qemu/102/status/start")).Data!.GetValue<string>();
        var path = $"nodes/proxmox-01/tasks/{Uri.EscapeDataString(upid)}";

        var log = await api.GetJsonAsync(path + "/log");
        Assert.Equal("""[{"n":1,"t":"no content"}]""", log.Data!.ToJsonString());
        Assert.Equal(1, log.Body["total"]!.GetValue<int>());

        var stop = await api.SendAsync(HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.OK, stop.Status);
        Assert.Null(stop.Data);

        var status = (await api.GetJsonAsync(path + "/status")).Data!;
        Assert.Equal("stopped", status["status"]!.GetValue<string>());
        Assert.Equal("received interrupt", status["exitstatus"]!.GetValue<string>());
        Assert.Equal("stopped", slow.Cluster.FindGuest(102)!.Status);
    }

    [Fact]
    public async Task TaskLog_PagesWithStartAndLimit_AndReportsTotal()
    {
        var tasks = (await _api.GetJsonAsync("nodes/proxmox-01/tasks?typefilter=vzdump&limit=1")).Data!.AsArray();
        var upid = Uri.EscapeDataString(tasks.Single()!["upid"]!.GetValue<string>());

        var all = await _api.GetJsonAsync($"nodes/proxmox-01/tasks/{upid}/log");
        var total = all.Body["total"]!.GetValue<int>();
        Assert.True(total >= 5);
        Assert.Equal("TASK OK", all.Data!.AsArray().Last()!["t"]!.GetValue<string>());

        var page = await _api.GetJsonAsync($"nodes/proxmox-01/tasks/{upid}/log?start=2&limit=2");
        Assert.Equal([3, 4], page.Data!.AsArray().Select(l => l!["n"]!.GetValue<int>()));
        Assert.Equal(total, page.Body["total"]!.GetValue<int>());
        Assert.Equal(all.Data!.AsArray()[2]!["t"]!.GetValue<string>(), page.Data!.AsArray()[0]!["t"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownTask_Answers400NoSuchTask()
    {
        var r = await _api.GetJsonAsync("nodes/proxmox-01/tasks/UPID:proxmox-01:00000001:00000002:00000003:qmstart:101:root@pam:/status");
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("no such task", r.Body["errors"]!["upid"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunningVm_CountersMovePlausibly()
    {
        var before = (await _api.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!;
        var after = await ApiCall.WaitForAsync(
            async () => (await _api.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!,
            a => a["uptime"]!.GetValue<long>() > before["uptime"]!.GetValue<long>());

        foreach (var counter in new[] { "netin", "netout", "diskread", "diskwrite" })
            Assert.True(after[counter]!.GetValue<long>() > before[counter]!.GetValue<long>(), counter);
        var cpu = after["cpu"]!.GetValue<double>();
        Assert.InRange(cpu, 0.0, 1.0);
        Assert.InRange(after["mem"]!.GetValue<long>(), 1, after["maxmem"]!.GetValue<long>());
    }
}
