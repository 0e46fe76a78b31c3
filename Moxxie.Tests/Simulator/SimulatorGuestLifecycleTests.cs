using System.Net;
using Xunit;
using static Moxxie.Tests.Simulator.SimulatorGuestApi;

namespace Moxxie.Tests.Simulator;

/// <summary>Clone, template, destroy, resize and locks, on a simulated clock that only moves when the test says so.</summary>
public sealed class SimulatorGuestLifecycleTests : IAsyncLifetime
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
        _clock.Advance(TimeSpan.FromHours(1));
        return await _api.WaitAsync(upid);
    }

    [Fact]
    public async Task FullClone_LocksSourceAndNewVm_WhileRunning_LogsTransfer_ThenAppearsEverywhere()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/qemu/102/clone", ("newid", "130"), ("name", "db-copy"), ("full", "1"));

        Assert.Equal("qmclone", upid.Split(':')[5]);
        Assert.Equal("clone", _sim.Cluster.FindGuest(102)!.Lock);
        Assert.Equal("clone", _sim.Cluster.FindGuest(130)!.Lock);
        var refused = await _api.Http.PostFormAsync("nodes/proxmox-01/qemu/102/clone", Form(("newid", "131")));
        Assert.Equal("VM is locked (clone)", refused.Reason);

        Assert.Equal("OK", await FinishAsync(upid));
        Assert.Null(_sim.Cluster.FindGuest(102)!.Lock);
        Assert.Null(_sim.Cluster.FindGuest(130)!.Lock);
        var log = await _api.LogAsync(upid);
        Assert.Contains("create full clone of drive scsi0 (local-zfs:vm-102-disk-0)", log);
        Assert.Contains("transferred 100.0 GiB of 100.0 GiB (100.00%)", log);

        var copy = await _api.ConfigAsync("proxmox-01", 130);
        var source = await _api.ConfigAsync("proxmox-01", 102);
        Assert.Equal("db-copy", copy["name"]!.GetValue<string>());
        Assert.Equal("local-zfs:vm-130-disk-0,iothread=1,size=100G", copy["scsi0"]!.GetValue<string>());
        Assert.NotEqual(source["net0"]!.GetValue<string>(), copy["net0"]!.GetValue<string>());       // a new MAC
        Assert.NotEqual(source["smbios1"]!.GetValue<string>(), copy["smbios1"]!.GetValue<string>());
        var resources = (await _api.Http.GetJsonAsync("cluster/resources?type=vm")).Data!.AsArray();
        Assert.Contains(resources, v => v!["vmid"]!.GetValue<int>() == 130 && v["name"]!.GetValue<string>() == "db-copy");
    }

    [Fact]
    public async Task LinkedClone_FromTemplate_UsesTheBaseVolume_AndLeavesTheTemplateUnlocked()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/qemu/9000/clone", ("newid", "131"), ("name", "from-template"));

        Assert.Null(_sim.Cluster.FindGuest(9000)!.Lock);
        Assert.Equal("OK", await FinishAsync(upid));
        Assert.Contains("create linked clone of drive scsi0 (local-zfs:base-9000-disk-0)", await _api.LogAsync(upid));
        var copy = await _api.ConfigAsync("proxmox-01", 131);
        Assert.StartsWith("local-zfs:base-9000-disk-0/vm-131-disk-0,", copy["scsi0"]!.GetValue<string>());
        Assert.Null(copy["template"]);
    }

    [Theory]
    [InlineData("102", "131", "0", null, "Linked clone feature is not supported for drive 'scsi0'")]
    [InlineData("102", "101", "1", null, "unable to create VM 101: config file already exists")]
    [InlineData("102", "104", "1", null, "VM 104 already exists on node 'proxmox-02'")]
    [InlineData("102", "131", "1", "proxmox-02", "can't clone VM to node 'proxmox-02' (VM uses local storage)")]
    public async Task Clone_RefusesLikePve(string vmid, string newid, string full, string? target, string message)
    {
        var form = Form(("newid", newid), ("full", full));
        if (target is not null) form["target"] = target;

        var r = await _api.Http.PostFormAsync($"nodes/proxmox-01/qemu/{vmid}/clone", form);

        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal(message, r.Reason);
    }

    [Fact]
    public async Task StoppingACloneTask_RemovesTheHalfCopy_AndReleasesTheSourceLock()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/qemu/102/clone", ("newid", "132"), ("full", "1"));
        _clock.Advance(TimeSpan.FromSeconds(5));

        var stop = await _api.Http.SendAsync(HttpMethod.Delete, $"nodes/proxmox-01/tasks/{Uri.EscapeDataString(upid)}");
        Assert.Equal(HttpStatusCode.OK, stop.Status);

        Assert.Equal("received interrupt", await _api.WaitAsync(upid));
        Assert.Equal("TASK ERROR: received interrupt", (await _api.LogAsync(upid))[^1]);
        Assert.Null(_sim.Cluster.FindGuest(132));
        Assert.Null(_sim.Cluster.FindGuest(102)!.Lock);
    }

    [Fact]
    public async Task Template_ConvertsDisksToBaseVolumes_AndRefusesRunningOrTemplate()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/qemu/120/template");
        Assert.Equal("qmtemplate", upid.Split(':')[5]);
        Assert.Equal("OK", await FinishAsync(upid));
        var c = await _api.ConfigAsync("proxmox-01", 120);
        Assert.Equal(1, c["template"]!.GetValue<int>());
        Assert.StartsWith("local-zfs:base-120-disk-0,", c["scsi0"]!.GetValue<string>());
        Assert.True(_sim.Cluster.FindGuest(120)!.Template);

        Assert.Equal("you can't convert a VM to template if VM is running", (await _api.Http.PostFormAsync("nodes/proxmox-01/qemu/101/template")).Reason);
        Assert.Equal("you can't convert a template to a template", (await _api.Http.PostFormAsync("nodes/proxmox-01/qemu/9000/template")).Reason);
    }

    [Fact]
    public async Task Destroy_RefusesRunningAndProtected_FailsLocked_ThenRemovesTheVm()
    {
        var running = await _api.Http.SendAsync(HttpMethod.Delete, "nodes/proxmox-01/qemu/101");
        Assert.Equal((HttpStatusCode.InternalServerError, "VM 101 is running - destroy failed"), (running.Status, running.Reason));

        await _api.Http.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("protection", "1")));
        var isProtected = await _api.Http.SendAsync(HttpMethod.Delete, "nodes/proxmox-01/qemu/102");
        Assert.Equal("can't remove VM 102 - protection mode enabled", isProtected.Reason);
        await _api.Http.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("delete", "protection")));

        _sim.Cluster.SetGuestLock(102, "backup");
        var locked = await _api.UpidAsync(HttpMethod.Delete, "nodes/proxmox-01/qemu/102");
        Assert.Equal("VM is locked (backup)", await FinishAsync(locked));
        _sim.Cluster.SetGuestLock(102, null);

        var upid = await _api.UpidAsync(HttpMethod.Delete, "nodes/proxmox-01/qemu/102?purge=1&destroy-unreferenced-disks=1");
        Assert.Equal("qmdestroy", upid.Split(':')[5]);
        Assert.Equal("destroyed", _sim.Cluster.FindGuest(102)!.Lock);
        Assert.Equal("OK", await FinishAsync(upid));
        Assert.Null(_sim.Cluster.FindGuest(102));
        var gone = await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/102/config");
        Assert.Equal("Configuration file 'nodes/proxmox-01/qemu-server/102.conf' does not exist", gone.Reason);
        Assert.DoesNotContain((await _api.Http.GetJsonAsync("cluster/resources")).Data!.AsArray(), v => v!["id"]!.GetValue<string>() == "qemu/102");
    }

    [Fact]
    public async Task Resize_GrowsRelativeOrAbsolute_NeverShrinks()
    {
        Assert.Equal("OK", await FinishAsync(await _api.UpidAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/resize", Form(("disk", "scsi0"), ("size", "+10G")))));
        Assert.Equal("local-zfs:vm-102-disk-0,iothread=1,size=110G", (await _api.ConfigAsync("proxmox-01", 102))["scsi0"]!.GetValue<string>());
        Assert.Equal(110L << 30, (await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/102/status/current")).Data!["maxdisk"]!.GetValue<long>());

        var upid = await _api.UpidAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/resize", Form(("disk", "scsi0"), ("size", "120G")));
        Assert.Equal("resize", upid.Split(':')[5]);
        Assert.Equal("OK", await FinishAsync(upid));
        Assert.EndsWith("size=120G", (await _api.ConfigAsync("proxmox-01", 102))["scsi0"]!.GetValue<string>());

        Assert.Equal("shrinking disks is not supported",
            await FinishAsync(await _api.UpidAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/resize", Form(("disk", "scsi0"), ("size", "50G")))));
        Assert.Equal("you can't resize a cdrom",
            await FinishAsync(await _api.UpidAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/resize", Form(("disk", "ide2"), ("size", "+1G")))));
    }

    [Fact]
    public async Task LockedVm_RefusesStopWithPveMessage_AndStatusShowsTheLock()
    {
        _sim.Cluster.SetGuestLock(101, "backup");

        var status = (await _api.Http.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!;
        Assert.Equal("backup", status["lock"]!.GetValue<string>());
        Assert.Equal("backup", (await _api.ConfigAsync("proxmox-01", 101))["lock"]!.GetValue<string>());
        Assert.Equal("VM is locked (backup)", await FinishAsync(await _api.PostAsync("nodes/proxmox-01/qemu/101/status/stop")));
        Assert.Equal("running", _sim.Cluster.FindGuest(101)!.Status);
    }

    [Fact]
    public async Task Create_ShowsLockCreate_UntilTheTaskEnds()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/qemu", ("vmid", "140"), ("scsi0", "local-zfs:4"));
        Assert.Equal("create", _sim.Cluster.FindGuest(140)!.Lock);
        Assert.Contains(_sim.Cluster.Guests, g => g.Vmid == 140);
        Assert.Equal("OK", await FinishAsync(upid));
        Assert.Null(_sim.Cluster.FindGuest(140)!.Lock);
        Assert.Equal("VM 140", _sim.Cluster.FindGuest(140)!.Name);
    }
}
