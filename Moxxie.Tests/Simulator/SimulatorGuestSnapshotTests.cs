using System.Net;
using System.Text.Json.Nodes;
using Xunit;
using static Moxxie.Tests.Simulator.SimulatorGuestApi;

namespace Moxxie.Tests.Simulator;

/// <summary>Snapshots: list with "current", create (vmstate), config, rollback, delete, locks and PVE's refusals.</summary>
public sealed class SimulatorGuestSnapshotTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private SimulatorHarness _sim = null!;
    private SimulatorGuestApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(taskSpeed: 1, time: _clock);
        _api = new SimulatorGuestApi(_sim.WithToken());
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    private async Task<string> FinishAsync(string upid)
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        return await _api.WaitAsync(upid);
    }

    private async Task<JsonArray> ListAsync(int vmid, string node = "proxmox-01") =>
        (await _api.Http.GetJsonAsync($"nodes/{node}/qemu/{vmid}/snapshot")).Data!.AsArray();

    private async Task SnapshotAsync(int vmid, string name)
    {
        _clock.Advance(TimeSpan.FromSeconds(5));   // distinct snaptimes
        Assert.Equal("OK", await FinishAsync(await _api.PostAsync($"nodes/proxmox-01/qemu/{vmid}/snapshot", ("snapname", name))));
    }

    [Fact]
    public async Task List_OfAVmWithoutSnapshots_IsJustCurrent_AsRecorded()
    {
        var list = await ListAsync(102);

        var current = Assert.Single(list)!;
        Assert.Equal(("current", "You are here!", 0), (current["name"]!.GetValue<string>(), current["description"]!.GetValue<string>(), current["running"]!.GetValue<int>()));
        Assert.Matches("^[0-9a-f]{40}$", current["digest"]!.GetValue<string>());
        Assert.Null(current["parent"]);
    }

    [Fact]
    public async Task Create_WithVmstate_LocksWhileRunning_SavesRam_ThenListsWithParent()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/qemu/101/snapshot", ("snapname", "before-upgrade"), ("vmstate", "1"), ("description", "pre 2.0"));

        Assert.Equal("qmsnapshot", upid.Split(':')[5]);
        Assert.Equal("snapshot", (await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!["lock"]!.GetValue<string>());
        Assert.Equal("prepare", (await ListAsync(101)).First()!["snapstate"]!.GetValue<string>());
        Assert.Equal("VM is locked (snapshot)", await FinishAsync(await _api.PostAsync("nodes/proxmox-01/qemu/101/status/reboot")));

        Assert.Equal("OK", await _api.WaitAsync(upid));
        var log = await _api.LogAsync(upid);
        Assert.Equal("saving VM state and RAM using storage 'local-zfs'", log[0]);
        Assert.Contains(log, l => l.StartsWith("completed saving the VM state in ", StringComparison.Ordinal));
        Assert.Contains("snapshotting 'drive-scsi0' (local-zfs:vm-101-disk-0)", log);

        var list = await ListAsync(101);
        var snap = list.Single(s => s!["name"]!.GetValue<string>() == "before-upgrade")!;
        Assert.Equal((1, "pre 2.0"), (snap["vmstate"]!.GetValue<int>(), snap["description"]!.GetValue<string>()));
        Assert.Null(snap["snapstate"]);
        var current = list.Single(s => s!["name"]!.GetValue<string>() == "current")!;
        Assert.Equal(("before-upgrade", 1), (current["parent"]!.GetValue<string>(), current["running"]!.GetValue<int>()));
        Assert.Null(_sim.Cluster.FindGuest(101)!.Lock);

        // The RAM state is a volume of the storage, as PVE lists it (vm-{vmid}-state-{snapname}, 2 × memory + 500 MiB).
        var content = (await _api.Http.GetJsonAsync("nodes/proxmox-01/storage/local-zfs/content?vmid=101")).Data!.AsArray();
        var state = content.Single(v => v!["volid"]!.GetValue<string>() == "local-zfs:vm-101-state-before-upgrade")!;
        var memory = long.Parse(snap["vmstate"] is null ? "0" : (await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/101/config")).Data!["memory"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(("images", (memory * 2 + 500) * 1024 * 1024), (state["content"]!.GetValue<string>(), state["size"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Create_Refusals_ReservedName_UsedName_Locked_InvalidName()
    {
        var reserved = await _api.Http.PostFormAsync("nodes/proxmox-01/qemu/102/snapshot", Form(("snapname", "current")));
        Assert.Equal((HttpStatusCode.InternalServerError, "unable to use snapshot name 'current' (reserved name)"), (reserved.Status, reserved.Reason));

        var invalid = await _api.Http.PostFormAsync("nodes/proxmox-01/qemu/102/snapshot", Form(("snapname", "1st")));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("snapname", invalid.Body["errors"]!.AsObject().Select(kv => kv.Key));

        await SnapshotAsync(102, "s1");
        Assert.Equal("snapshot name 's1' already used", await FinishAsync(await _api.PostAsync("nodes/proxmox-01/qemu/102/snapshot", ("snapname", "s1"))));

        _sim.Cluster.SetGuestLock(102, "backup");
        Assert.Equal("VM is locked (backup)", await FinishAsync(await _api.PostAsync("nodes/proxmox-01/qemu/102/snapshot", ("snapname", "s2"))));
    }

    [Fact]
    public async Task Rollback_RestoresTheConfig_AndStartsWhenAsked()
    {
        await SnapshotAsync(102, "s1");
        await _api.Http.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("cores", "2"), ("memory", "1024")));
        Assert.Equal(2, (await _api.ConfigAsync("proxmox-01", 102))["cores"]!.GetValue<int>());

        var upid = await _api.PostAsync("nodes/proxmox-01/qemu/102/snapshot/s1/rollback", ("start", "1"));
        Assert.Equal("qmrollback", upid.Split(':')[5]);
        Assert.Equal("OK", await FinishAsync(upid));

        var c = await _api.ConfigAsync("proxmox-01", 102);
        Assert.Equal((8, "16384", "s1"), (c["cores"]!.GetValue<int>(), c["memory"]!.GetValue<string>(), c["parent"]!.GetValue<string>()));
        Assert.Equal("running", _sim.Cluster.FindGuest(102)!.Status);
    }

    [Fact]
    public async Task Rollback_OnZfs_ToAnOlderSnapshot_FailsLikeZfs()
    {
        await SnapshotAsync(102, "s1");
        await SnapshotAsync(102, "s2");

        Assert.Equal("can't rollback, 's1' is not most recent snapshot on 'vm-102-disk-0'",
            await FinishAsync(await _api.PostAsync("nodes/proxmox-01/qemu/102/snapshot/s1/rollback")));
        Assert.Equal("OK", await FinishAsync(await _api.PostAsync("nodes/proxmox-01/qemu/102/snapshot/s2/rollback")));
    }

    [Fact]
    public async Task Delete_ReparentsTheTree_AndUnknownSnapshotsFailInTheTask()
    {
        await SnapshotAsync(102, "s1");
        await SnapshotAsync(102, "s2");

        var upid = await _api.UpidAsync(HttpMethod.Delete, "nodes/proxmox-01/qemu/102/snapshot/s1");
        Assert.Equal("qmdelsnapshot", upid.Split(':')[5]);
        Assert.Equal("OK", await FinishAsync(upid));

        var list = await ListAsync(102);
        Assert.Equal(["s2", "current"], list.Select(s => s!["name"]!.GetValue<string>()));
        Assert.Null(list[0]!["parent"]);
        Assert.Equal("s2", list[1]!["parent"]!.GetValue<string>());
        Assert.Equal("snapshot 'nope' does not exist", await FinishAsync(await _api.UpidAsync(HttpMethod.Delete, "nodes/proxmox-01/qemu/102/snapshot/nope")));
    }

    [Fact]
    public async Task SnapshotConfig_GetAndPutDescription_AndConfigOfASnapshot()
    {
        await SnapshotAsync(102, "s1");
        await _api.Http.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("cores", "3")));

        var put = await _api.Http.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/snapshot/s1/config", Form(("description", "known good")));
        Assert.Equal(HttpStatusCode.OK, put.Status);

        var config = (await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/102/snapshot/s1/config")).Data!;
        Assert.Equal(("known good", 8), (config["description"]!.GetValue<string>(), config["cores"]!.GetValue<int>()));
        Assert.True(config["snaptime"]!.GetValue<long>() > 0);
        var viaConfig = (await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/102/config?snapshot=s1")).Data!;
        Assert.Equal(8, viaConfig["cores"]!.GetValue<int>());
        Assert.NotNull(viaConfig["digest"]);
        var missing = await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/102/snapshot/zz/config");
        Assert.Equal("snapshot 'zz' does not exist", missing.Reason);
    }
}
