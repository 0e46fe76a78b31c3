using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>qemu create, config GET/PUT/POST with pending changes, digest and tags, over HTTPS through the simulator.</summary>
public sealed class SimulatorGuestConfigTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(taskSpeed: 50);
        _api = _sim.WithToken();
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    internal static Dictionary<string, string> Form(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private async Task<string> UpidAsync(HttpMethod method, string path, Dictionary<string, string>? form = null)
    {
        var r = await _api.SendAsync(method, path, form ?? []);
        Assert.True(r.Status == HttpStatusCode.OK, $"{method} {path}: {(int)r.Status} {r.Reason}");
        return r.Data!.GetValue<string>();
    }

    private async Task<JsonNode> WaitTaskAsync(string upid)
    {
        var node = upid.Split(':')[1];
        return await ApiCall.WaitForAsync(
            async () => (await _api.GetJsonAsync($"nodes/{node}/tasks/{Uri.EscapeDataString(upid)}/status")).Data!,
            s => s["status"]!.GetValue<string>() == "stopped");
    }

    private async Task<JsonObject> ConfigAsync(string node, int vmid, string query = "") =>
        (await _api.GetJsonAsync($"nodes/{node}/qemu/{vmid}/config{query}")).Data!.AsObject();

    [Fact]
    public async Task Config_HasPveTypes_AndDigest()
    {
        var c = await ConfigAsync("proxmox-01", 101);

        Assert.Equal("web-server-01", c["name"]!.GetValue<string>());
        Assert.Equal(4, c["cores"]!.GetValue<int>());                    // integer in the schema → JSON number
        Assert.Equal("4096", c["memory"]!.GetValue<string>());           // memory is a property string → JSON string
        Assert.Equal("1", c["agent"]!.GetValue<string>());
        Assert.Equal("client-acme;env-prod;web-tier", c["tags"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{40}$", c["digest"]!.GetValue<string>());
        Assert.StartsWith("local-zfs:vm-101-disk-0,", c["scsi0"]!.GetValue<string>());
    }

    [Fact]
    public async Task Preset_guests_sit_on_the_vlan_aware_vmbr0_tagged_by_tier_and_infrastructure_stays_untagged()
    {
        var vmbr0 = (await _api.GetJsonAsync("nodes/proxmox-01/network")).Data!.AsArray()
            .Single(i => i!["iface"]!.GetValue<string>() == "vmbr0")!;
        Assert.Equal(1, vmbr0["bridge_vlan_aware"]!.GetValue<int>());
        Assert.Equal("2-4094", vmbr0["bridge_vids"]!.GetValue<string>());

        Assert.Matches("^virtio=([0-9A-F]{2}:){5}[0-9A-F]{2},bridge=vmbr0,firewall=1,tag=10$", (await ConfigAsync("proxmox-01", 101))["net0"]!.GetValue<string>());   // web-tier
        Assert.EndsWith(",tag=30", (await ConfigAsync("proxmox-01", 102))["net0"]!.GetValue<string>());                                                                   // db-tier
        Assert.EndsWith("bridge=vmbr0,firewall=1", (await ConfigAsync("proxmox-01", 107))["net0"]!.GetValue<string>());                                                 // mail: native VLAN
        var ct = (await _api.GetJsonAsync("nodes/proxmox-02/lxc/201/config")).Data!["net0"]!.GetValue<string>();                                                       // web-tier CT
        Assert.Matches("^name=eth0,bridge=vmbr0,firewall=1,hwaddr=[0-9A-F:]{17},ip=dhcp,tag=10,type=veth$", ct);
    }

    [Fact]
    public async Task Create_AllocatesDisk_ShowsUpInListsAndResources()
    {
        var upid = await UpidAsync(HttpMethod.Post, "nodes/proxmox-02/qemu", Form(
            ("vmid", "150"), ("name", "new-vm"), ("memory", "2048"), ("cores", "2"), ("sockets", "1"),
            ("scsi0", "local-zfs:32,iothread=1"), ("net0", "virtio,bridge=vmbr0"), ("ostype", "l26"), ("tags", "Web;env-dev,web")));

        Assert.Equal("qmcreate", upid.Split(':')[5]);
        Assert.Equal("OK", (await WaitTaskAsync(upid))["exitstatus"]!.GetValue<string>());

        var c = await ConfigAsync("proxmox-02", 150);
        Assert.Equal("local-zfs:vm-150-disk-0,iothread=1,size=32G", c["scsi0"]!.GetValue<string>());
        Assert.Equal("env-dev;web", c["tags"]!.GetValue<string>());     // lower-cased, de-duplicated, sorted, ';'
        Assert.Null(c["lock"]);
        Assert.Matches("^virtio=([0-9A-F]{2}:){5}[0-9A-F]{2},bridge=vmbr0$", c["net0"]!.GetValue<string>());

        var list = (await _api.GetJsonAsync("nodes/proxmox-02/qemu")).Data!.AsArray();
        var listed = list.Single(v => v!["vmid"]!.GetValue<int>() == 150)!;
        Assert.Equal(("new-vm", "stopped", 32L << 30, 2048L << 20),
            (listed["name"]!.GetValue<string>(), listed["status"]!.GetValue<string>(), listed["maxdisk"]!.GetValue<long>(), listed["maxmem"]!.GetValue<long>()));
        var resources = (await _api.GetJsonAsync("cluster/resources?type=vm")).Data!.AsArray();
        Assert.Contains(resources, v => v!["id"]!.GetValue<string>() == "qemu/150" && v["node"]!.GetValue<string>() == "proxmox-02");
    }

    [Fact]
    public async Task Create_ExistingVmid_Answers500_LikePve()
    {
        var r = await _api.PostFormAsync("nodes/proxmox-02/qemu", Form(("vmid", "101")));

        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal("unable to create VM 101 - VM 101 already exists on node 'proxmox-01'", r.Reason);
    }

    [Fact]
    public async Task Create_WithStart_LeavesTheVmRunning()
    {
        var upid = await UpidAsync(HttpMethod.Post, "nodes/proxmox-03/qemu", Form(("vmid", "151"), ("scsi0", "local-zfs:8"), ("start", "1")));
        await WaitTaskAsync(upid);
        Assert.Equal("running", _sim.Cluster.FindGuest(151)!.Status);
    }

    [Fact]
    public async Task Put_OnStoppedVm_AppliesAtOnce_AndChangesDigest()
    {
        var before = await ConfigAsync("proxmox-01", 102);
        var r = await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("memory", "32768"), ("cores", "12"), ("description", "primary db")));
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("""{"data":null}""", r.Body.ToJsonString());

        var after = await ConfigAsync("proxmox-01", 102);
        Assert.Equal(("32768", 12, "primary db"), (after["memory"]!.GetValue<string>(), after["cores"]!.GetValue<int>(), after["description"]!.GetValue<string>()));
        Assert.NotEqual(before["digest"]!.GetValue<string>(), after["digest"]!.GetValue<string>());
        Assert.DoesNotContain((await _api.GetJsonAsync("nodes/proxmox-01/qemu/102/pending")).Data!.AsArray(), e => e!["pending"] is not null);
        var listed = (await _api.GetJsonAsync("nodes/proxmox-01/qemu")).Data!.AsArray().Single(v => v!["vmid"]!.GetValue<int>() == 102)!;
        Assert.Equal((32768L << 20, 12), (listed["maxmem"]!.GetValue<long>(), listed["cpus"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Put_WithStaleDigest_IsRefused()
    {
        var digest = (await ConfigAsync("proxmox-01", 102))["digest"]!.GetValue<string>();
        await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("description", "changed")));

        var r = await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("cores", "2"), ("digest", digest)));

        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal("detected modified configuration - file changed by other user? Try again.", r.Reason);
    }

    [Fact]
    public async Task Put_OnRunningVm_MemoryGoesToPending_NetworkAndNameApplyAtOnce_PendingAppliesOnStart()
    {
        var r = await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/101/config",
            Form(("memory", "8192"), ("name", "web-renamed"), ("net0", "virtio=BC:24:11:00:00:01,bridge=vmbr1"), ("delete", "numa")));
        Assert.Equal(HttpStatusCode.OK, r.Status);

        var pending = (await _api.GetJsonAsync("nodes/proxmox-01/qemu/101/pending")).Data!.AsArray();
        var memory = pending.Single(e => e!["key"]!.GetValue<string>() == "memory")!;
        Assert.Equal(("4096", "8192"), (memory["value"]!.GetValue<string>(), memory["pending"]!.GetValue<string>()));
        var numa = pending.Single(e => e!["key"]!.GetValue<string>() == "numa")!;
        Assert.Equal(1, numa["delete"]!.GetValue<int>());
        var name = pending.Single(e => e!["key"]!.GetValue<string>() == "name")!;
        Assert.Equal("web-renamed", name["value"]!.GetValue<string>());
        Assert.Null(name["pending"]);

        Assert.Equal("8192", (await ConfigAsync("proxmox-01", 101))["memory"]!.GetValue<string>());               // pending applied in the view
        Assert.Equal("4096", (await ConfigAsync("proxmox-01", 101, "?current=1"))["memory"]!.GetValue<string>());  // current values
        Assert.Equal("virtio=BC:24:11:00:00:01,bridge=vmbr1", (await ConfigAsync("proxmox-01", 101, "?current=1"))["net0"]!.GetValue<string>());
        var status = (await _api.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!;
        Assert.Equal(4096L << 20, status["maxmem"]!.GetValue<long>());

        await WaitTaskAsync(await UpidAsync(HttpMethod.Post, "nodes/proxmox-01/qemu/101/status/stop"));
        await WaitTaskAsync(await UpidAsync(HttpMethod.Post, "nodes/proxmox-01/qemu/101/status/start"));

        var current = await ConfigAsync("proxmox-01", 101, "?current=1");
        Assert.Equal("8192", current["memory"]!.GetValue<string>());
        Assert.Null(current["numa"]);
        Assert.DoesNotContain((await _api.GetJsonAsync("nodes/proxmox-01/qemu/101/pending")).Data!.AsArray(), e => e!["pending"] is not null || e["delete"] is not null);
        Assert.Equal(8192L << 20, (await _api.GetJsonAsync("nodes/proxmox-01/qemu/101/status/current")).Data!["maxmem"]!.GetValue<long>());
    }

    [Fact]
    public async Task Revert_DropsAPendingChange()
    {
        await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/103/config", Form(("cores", "6")));
        Assert.Equal("6", (await _api.GetJsonAsync("nodes/proxmox-01/qemu/103/pending")).Data!.AsArray().Single(e => e!["key"]!.GetValue<string>() == "cores")!["pending"]!.GetValue<string>());

        await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/103/config", Form(("revert", "cores")));

        Assert.Null((await _api.GetJsonAsync("nodes/proxmox-01/qemu/103/pending")).Data!.AsArray().Single(e => e!["key"]!.GetValue<string>() == "cores")!["pending"]);
        Assert.Equal(2, (await ConfigAsync("proxmox-01", 103))["cores"]!.GetValue<int>());
    }

    [Fact]
    public async Task Post_IsAsyncQmconfigTask_ThatAppliesTheChange()
    {
        var upid = await UpidAsync(HttpMethod.Post, "nodes/proxmox-01/qemu/120/config", Form(("tags", "env-dev;Sandbox"), ("scsi1", "local-zfs:10")));
        Assert.Equal("qmconfig", upid.Split(':')[5]);
        Assert.Equal("OK", (await WaitTaskAsync(upid))["exitstatus"]!.GetValue<string>());

        var c = await ConfigAsync("proxmox-01", 120);
        Assert.Equal("env-dev;sandbox", c["tags"]!.GetValue<string>());
        Assert.Equal("local-zfs:vm-120-disk-1,size=10G", c["scsi1"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_OfADisk_KeepsTheVolumeAsUnused()
    {
        await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/120/config", Form(("scsi1", "local-zfs:10")));
        await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/120/config", Form(("delete", "scsi1")));

        var c = await ConfigAsync("proxmox-01", 120);
        Assert.Null(c["scsi1"]);
        Assert.Equal("local-zfs:vm-120-disk-1", c["unused0"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_OnLockedVm_FailsWithPveMessage_AndSkiplockNeedsRootNotAToken()
    {
        _sim.Cluster.SetGuestLock(102, "backup");

        var r = await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("cores", "2")));
        Assert.Equal(HttpStatusCode.InternalServerError, r.Status);
        Assert.Equal("VM is locked (backup)", r.Reason);

        var skip = await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("cores", "2"), ("skiplock", "1")));
        Assert.Equal(HttpStatusCode.BadRequest, skip.Status);
        Assert.Equal("Only root may use this option.", skip.Body["errors"]!["skiplock"]!.GetValue<string>());

        var (ticket, csrf) = await _sim.LoginAsync();
        var root = _sim.Create(c =>
        {
            c.DefaultRequestHeaders.Add("Cookie", $"PVEAuthCookie={Uri.EscapeDataString(ticket)}");
            c.DefaultRequestHeaders.Add("CSRFPreventionToken", csrf);
        });
        var asRoot = await root.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("cores", "2"), ("skiplock", "1")));
        Assert.Equal(HttpStatusCode.OK, asRoot.Status);
    }

    [Fact]
    public async Task InvalidTag_IsAParameterError()
    {
        var r = await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/qemu/102/config", Form(("tags", "ok;not/ok")));

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains("invalid characters in tag", r.Body["errors"]!["tags"]!.GetValue<string>());
    }

    [Fact]
    public async Task NextId_IsTheLowestFreeVmid()
    {
        Assert.Equal("100", (await _api.GetJsonAsync("cluster/nextid")).Data!.GetValue<string>());
    }
}
