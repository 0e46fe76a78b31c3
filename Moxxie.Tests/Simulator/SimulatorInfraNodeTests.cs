using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>Node status, services and network (pending changes, apply, revert) over HTTPS through the real simulator.</summary>
public sealed class SimulatorInfraNodeTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;
    private HttpClient _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(taskSpeed: 50);
        _api = _sim.WithToken();
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    internal static async Task<JsonNode> WaitTaskAsync(HttpClient api, string node, string upid) =>
        await ApiCall.WaitForAsync(
            async () => (await api.GetJsonAsync($"nodes/{node}/tasks/{Uri.EscapeDataString(upid)}/status")).Data!,
            s => s["status"]!.GetValue<string>() == "stopped");

    [Fact]
    public async Task NodeStatus_HasPvesFullShape_WithStringLoadAverages()
    {
        var s = (await _api.GetJsonAsync("nodes/proxmox-01/status")).Data!;

        var cpu = s["cpuinfo"]!;
        Assert.Equal("AMD EPYC 7313P 16-Core Processor", cpu["model"]!.GetValue<string>());
        Assert.Equal((2, 8, 32), (cpu["sockets"]!.GetValue<int>(), cpu["cores"]!.GetValue<int>(), cpu["cpus"]!.GetValue<int>()));
        Assert.Equal("3000.000", cpu["mhz"]!.GetValue<string>());
        Assert.All(s["loadavg"]!.AsArray(), l => Assert.Matches(@"^\d+\.\d\d$", l!.GetValue<string>()));
        foreach (var part in new[] { "memory", "swap", "rootfs" })
        {
            var total = s[part]!["total"]!.GetValue<long>();
            Assert.Equal(total, s[part]!["used"]!.GetValue<long>() + (part == "memory" ? s[part]!["available"]! : s[part]!["free"]!).GetValue<long>());
        }
        Assert.True(s["ksm"]!["shared"]!.GetValue<long>() >= 0);
        Assert.StartsWith("pve-manager/8.4.1/", s["pveversion"]!.GetValue<string>());
        Assert.StartsWith("Linux 6.8.12-9-pve", s["kversion"]!.GetValue<string>());
        Assert.Equal("efi", s["boot-info"]!["mode"]!.GetValue<string>());
        Assert.Equal("6.8.12-9-pve", s["current-kernel"]!["release"]!.GetValue<string>());
    }

    [Fact]
    public async Task Service_StopAndStart_RunSrvTasks_AndChangeItsState()
    {
        var before = (await _api.GetJsonAsync("nodes/proxmox-02/services/pvescheduler/state")).Data!;
        Assert.Equal(("running", "active", "enabled"),
            (before["state"]!.GetValue<string>(), before["active-state"]!.GetValue<string>(), before["unit-state"]!.GetValue<string>()));

        var stop = (await _api.PostFormAsync("nodes/proxmox-02/services/pvescheduler/stop")).Data!.GetValue<string>();
        Assert.Contains(":srvstop:pvescheduler:", stop);
        Assert.Equal("OK", (await WaitTaskAsync(_api, "proxmox-02", stop))["exitstatus"]!.GetValue<string>());
        var stopped = (await _api.GetJsonAsync("nodes/proxmox-02/services")).Data!.AsArray().Single(s => s!["service"]!.GetValue<string>() == "pvescheduler")!;
        Assert.Equal(("dead", "inactive"), (stopped["state"]!.GetValue<string>(), stopped["active-state"]!.GetValue<string>()));

        var start = (await _api.PostFormAsync("nodes/proxmox-02/services/pvescheduler/start")).Data!.GetValue<string>();
        Assert.Contains(":srvstart:pvescheduler:", start);
        await WaitTaskAsync(_api, "proxmox-02", start);
        Assert.Equal("running", (await _api.GetJsonAsync("nodes/proxmox-02/services/pvescheduler/state")).Data!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Network_SeededWithBridgesBondAndVlan_InPveTypes()
    {
        var list = (await _api.GetJsonAsync("nodes/proxmox-02/network")).Body;
        Assert.Null(list["changes"]);
        var ifaces = list["data"]!.AsArray().ToDictionary(i => i!["iface"]!.GetValue<string>(), i => i!);
        Assert.Equal(["bond0", "eno1", "eno2", "eno3", "eno4", "vmbr0", "vmbr0.50", "vmbr1"], ifaces.Keys.Order(StringComparer.Ordinal));
        var vmbr0 = ifaces["vmbr0"];
        Assert.Equal(("bridge", "eno1", 1, 1), (vmbr0["type"]!.GetValue<string>(), vmbr0["bridge_ports"]!.GetValue<string>(),
            vmbr0["bridge_vlan_aware"]!.GetValue<int>(), vmbr0["active"]!.GetValue<int>()));
        Assert.Equal("192.168.1.11/24", vmbr0["cidr"]!.GetValue<string>());
        Assert.Equal("24", vmbr0["netmask"]!.GetValue<string>());
        Assert.Equal(["inet"], vmbr0["families"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("802.3ad", ifaces["bond0"]["bond_mode"]!.GetValue<string>());
        Assert.Equal("vmbr0", ifaces["vmbr0.50"]["vlan-raw-device"]!.GetValue<string>());

        var bridges = (await _api.GetJsonAsync("nodes/proxmox-02/network?type=any_bridge")).Data!.AsArray();
        Assert.Equal(["vmbr0", "vmbr1"], bridges.Select(b => b!["iface"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Network_NewBridge_IsPendingWithDiff_UntilApplied()
    {
        var created = await _api.PostFormAsync("nodes/proxmox-01/network", new Dictionary<string, string>
        {
            ["iface"] = "vmbr2", ["type"] = "bridge", ["autostart"] = "1", ["bridge_ports"] = "eno2", ["cidr"] = "10.60.0.10/24",
            ["comments"] = "lab",
        });
        Assert.Equal(HttpStatusCode.OK, created.Status);

        var pending = (await _api.GetJsonAsync("nodes/proxmox-01/network")).Body;
        var changes = pending["changes"]!.GetValue<string>();
        Assert.StartsWith("--- /etc/network/interfaces\t", changes);
        Assert.Contains("+++ /etc/network/interfaces.new\t", changes);
        Assert.Contains("\n+auto vmbr2\n+iface vmbr2 inet static\n+\taddress 10.60.0.10/24\n", changes);
        var vmbr2 = pending["data"]!.AsArray().Single(i => i!["iface"]!.GetValue<string>() == "vmbr2")!;
        Assert.Null(vmbr2["active"]);
        Assert.Equal(("static", "10.60.0.10", "24"), (vmbr2["method"]!.GetValue<string>(), vmbr2["address"]!.GetValue<string>(), vmbr2["netmask"]!.GetValue<string>()));

        var again = await _api.PostFormAsync("nodes/proxmox-01/network", new Dictionary<string, string> { ["iface"] = "vmbr2", ["type"] = "bridge" });
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("interface already exists", again.Body["errors"]!["iface"]!.GetValue<string>());

        var apply = await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-01/network", new Dictionary<string, string>());
        var upid = apply.Data!.GetValue<string>();
        Assert.Contains(":srvreload:networking:", upid);
        Assert.Equal("OK", (await WaitTaskAsync(_api, "proxmox-01", upid))["exitstatus"]!.GetValue<string>());

        var after = (await _api.GetJsonAsync("nodes/proxmox-01/network")).Body;
        Assert.Null(after["changes"]);
        Assert.Equal(1, after["data"]!.AsArray().Single(i => i!["iface"]!.GetValue<string>() == "vmbr2")!["active"]!.GetValue<int>());
        Assert.Equal("lab\n", (await _api.GetJsonAsync("nodes/proxmox-01/network/vmbr2")).Data!["comments"]!.GetValue<string>());
    }

    [Fact]
    public async Task Network_Revert_DropsPendingEditsAndDeletes()
    {
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Delete, "nodes/proxmox-03/network/vmbr1")).Status);
        await _api.SendAsync(HttpMethod.Put, "nodes/proxmox-03/network/vmbr0", new Dictionary<string, string> { ["type"] = "bridge", ["comments"] = "changed" });

        var pending = (await _api.GetJsonAsync("nodes/proxmox-03/network")).Body;
        Assert.DoesNotContain(pending["data"]!.AsArray(), i => i!["iface"]!.GetValue<string>() == "vmbr1");
        Assert.Contains("-auto vmbr1\n", pending["changes"]!.GetValue<string>());
        Assert.Contains("+#changed\n", pending["changes"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Delete, "nodes/proxmox-03/network")).Status);
        var reverted = (await _api.GetJsonAsync("nodes/proxmox-03/network")).Body;
        Assert.Null(reverted["changes"]);
        Assert.Contains(reverted["data"]!.AsArray(), i => i!["iface"]!.GetValue<string>() == "vmbr1");

        var missing = await _api.GetJsonAsync("nodes/proxmox-03/network/vmbr9");
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("interface does not exist", missing.Body["errors"]!["iface"]!.GetValue<string>());
    }

    [Fact]
    public async Task Network_SecondDefaultGateway_IsRefusedLikePve()
    {
        var r = await _api.PostFormAsync("nodes/proxmox-01/network", new Dictionary<string, string>
        {
            ["iface"] = "vmbr3", ["type"] = "bridge", ["cidr"] = "10.70.0.2/24", ["gateway"] = "10.70.0.1",
        });
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("Default gateway already exists on interface 'vmbr0'.", r.Body["errors"]!["gateway"]!.GetValue<string>());
    }
}
