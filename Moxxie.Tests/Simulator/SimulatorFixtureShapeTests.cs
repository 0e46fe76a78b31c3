using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// Compares the simulator's answers with real recorded PVE responses (../shared/proxmox/fixtures) for the same
/// endpoints: same envelope members, same keys and JSON types. The simulator answers like PVE 8.x/9.x; the
/// differences to older recordings are listed per test with the reason:
/// <list type="bullet">
/// <item>PVE 6 sent vmid/pid/disk/maxdisk as strings, template as "", pid as null and an empty lock; PVE 7+ sends
/// numbers and leaves pid/lock/template out when not set (LXC vmid stays a string, also in the simulator).</item>
/// <item>tags appear whenever a guest has tags (the recordings mostly had none).</item>
/// <item>Not simulated: qemu blockstat, proxmox-support, spice, shares, balloon_min (need configured devices).</item>
/// </list>
/// </summary>
public sealed class SimulatorFixtureShapeTests(SharedSimulators simulators) : IClassFixture<SharedSimulators>
{
    /// <summary>Keys where PVE itself sends different JSON types across versions (NOTES.md §1).</summary>
    private static readonly HashSet<string> TypeQuirkKeys = ["vmid", "pid", "template", "disk", "maxdisk", "lock"];

    private readonly SimulatorHarness _demo = simulators.Demo;
    private readonly SimulatorHarness _small = simulators.Small;

    private static JsonObject RecordedBody(string fixture) => SharedProxmoxData.Fixture(fixture)["response"]!["body"]!.AsObject();

    private async Task<JsonObject> Get(SimulatorHarness sim, string path)
    {
        var r = await sim.WithToken().GetJsonAsync(path);
        Assert.True(r.Status == System.Net.HttpStatusCode.OK, $"{path}: {(int)r.Status} {r.Reason}");
        return r.Body;
    }

    [Theory]
    [InlineData("datadog-integrations-core/get-version.json", "version", "demo", "", "")]
    [InlineData("go-proxmox/get-nodes-node-status.json", "nodes/proxmox-01/status", "demo", "", "boot-info,current-kernel")]
    [InlineData("fog-proxmox/get-nodes-node-qemu-vmid-status-current--stopped.json", "nodes/proxmox-01/qemu/102/status/current", "demo",
        "pid,template", "tags,agent")]
    [InlineData("go-proxmox/get-nodes-node-qemu-vmid-status-current--running.json", "nodes/proxmox-01/qemu/101/status/current", "demo",
        "blockstat,proxmox-support,spice,shares,balloon_min", "tags")]
    [InlineData("fog-proxmox/get-nodes-node-lxc-vmid-status-current--running.json", "nodes/proxmox-01/lxc/200/status/current", "demo",
        "template,lock", "tags")]
    public async Task ObjectAnswer_HasRecordedShape(string fixture, string path, string preset, string allowMissing, string allowExtra)
    {
        var recorded = RecordedBody(fixture);
        var ours = await Get(preset == "demo" ? _demo : _small, path);

        Assert.Equal(recorded.Select(p => p.Key).Order(), ours.Select(p => p.Key).Order());
        AssertSameShape(fixture, [recorded["data"]!.AsObject()], [ours["data"]!.AsObject()], Split(allowMissing), Split(allowExtra));
    }

    [Theory]
    [InlineData("go-proxmox/get-cluster-resources.json", "cluster/resources", "", "lock,hastate,tags,pool")]
    [InlineData("fog-proxmox/get-cluster-resources--type-node.json", "cluster/resources?type=node", "", "cgroup-mode")]
    [InlineData("go-proxmox/get-cluster-status.json", "cluster/status", "", "")]
    [InlineData("go-proxmox/get-nodes.json", "nodes", "", "")]
    [InlineData("fog-proxmox/get-nodes.json", "nodes", "", "")]
    [InlineData("fog-proxmox/get-nodes-node-qemu.json", "nodes/proxmox-01/qemu", "", "tags")]
    [InlineData("go-proxmox/get-nodes-node-lxc.json", "nodes/proxmox-01/lxc", "template", "tags")]
    [InlineData("fog-proxmox/get-nodes-node-lxc.json", "nodes/proxmox-02/lxc", "template,lock", "tags,pid")]
    [InlineData("fog-proxmox/get-nodes-node-tasks.json", "nodes/proxmox-01/tasks", "", "")]
    [InlineData("ansible-community-proxmox/get-nodes-node-tasks--pve64.json", "nodes/proxmox-01/tasks", "", "")]
    public async Task ListAnswer_HasRecordedShape_PerResourceType(string fixture, string path, string allowMissing, string allowExtra)
    {
        var recorded = RecordedBody(fixture);
        var ours = await Get(_demo, path);

        if (IsRealRecording(fixture)) Assert.Equal(recorded.Select(p => p.Key).Order(), ours.Select(p => p.Key).Order());
        var recordedItems = recorded["data"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var ourItems = ours["data"]!.AsArray().Select(i => i!.AsObject()).ToList();
        foreach (var kind in recordedItems.GroupBy(Kind))
        {
            var ourKind = ourItems.Where(i => Kind(i) == kind.Key).ToList();
            Assert.True(ourKind.Count > 0, $"{fixture}: simulator lists no '{kind.Key}' entries");
            AssertSameShape($"{fixture} [{kind.Key}]", [.. kind], ourKind, Split(allowMissing), Split(allowExtra));
        }
    }

    [Fact]
    public async Task QemuConfig_CarriesTheRecordedKeys()
    {
        const string fixture = "fog-proxmox/get-nodes-node-qemu-vmid-config.json";
        var recorded = RecordedBody(fixture)["data"]!.AsObject();
        var ours = (await Get(_demo, "nodes/proxmox-01/qemu/9000/config"))["data"]!.AsObject();

        // A config has the keys of its VM's hardware; the recording's template used virtio0 where ours uses scsi0.
        foreach (var (key, value) in recorded.Where(p => p.Key != "virtio0"))
        {
            Assert.True(ours.ContainsKey(key), $"config lacks '{key}'");
            Assert.Equal(value!.GetValueKind(), ours[key]!.GetValueKind());
        }
        Assert.Matches("^[0-9a-f]{40}$", ours["digest"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-status--running.json", true)]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-status--ok.json", false)]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-status--error.json", false)]
    public async Task TaskStatus_HasRecordedShape(string fixture, bool running)
    {
        await using var sim = await SimulatorHarness.StartAsync("single", taskSpeed: running ? 0.05 : 50);
        var (ticket, csrf) = await sim.LoginAsync();   // ticket auth: no tokenid, like the recording
        var client = sim.Create(c =>
        {
            c.DefaultRequestHeaders.Add("Cookie", $"PVEAuthCookie={Uri.EscapeDataString(ticket)}");
            c.DefaultRequestHeaders.Add("CSRFPreventionToken", csrf);
        });
        var upid = (await client.PostFormAsync("nodes/pve/qemu/101/status/start")).Data!.GetValue<string>();
        var path = $"nodes/pve/tasks/{Uri.EscapeDataString(upid)}/status";
        var ours = await ApiCall.WaitForAsync(() => client.GetJsonAsync(path),
            r => r.Data!["status"]!.GetValue<string>() == (running ? "running" : "stopped"));

        var recorded = RecordedBody(fixture);
        Assert.Equal(recorded.Select(p => p.Key).Order(), ours.Body.Select(p => p.Key).Order());
        AssertSameShape(fixture, [recorded["data"]!.AsObject()], [ours.Data!.AsObject()], [], []);
    }

    [Theory]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-log--ok.json")]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-log--error.json")]
    [InlineData("fog-proxmox/get-nodes-node-tasks-upid-log--running.json")]
    public async Task TaskLog_HasRecordedShape(string fixture)
    {
        var upid = (await Get(_demo, "nodes/proxmox-01/tasks?limit=1"))["data"]![0]!["upid"]!.GetValue<string>();
        var ours = await Get(_demo, $"nodes/proxmox-01/tasks/{Uri.EscapeDataString(upid)}/log");
        var recorded = RecordedBody(fixture);

        Assert.Equal(recorded.Select(p => p.Key).Order(), ours.Select(p => p.Key).Order());
        Assert.Equal(JsonValueKind.Number, ours["total"]!.GetValueKind());
        AssertSameShape(fixture, recorded["data"]!.AsArray().Select(l => l!.AsObject()).ToList(),
            ours["data"]!.AsArray().Select(l => l!.AsObject()).ToList(), [], []);
    }

    [Fact]
    public async Task Ticket_HasRecordedShape()
    {
        const string fixture = "fog-proxmox/post-access-ticket.json";
        var r = await _small.Anonymous().PostFormAsync("access/ticket",
            new Dictionary<string, string> { ["username"] = "root@pam", ["password"] = _small.Server.RootPassword });
        var recorded = RecordedBody(fixture);

        Assert.Equal(recorded.Select(p => p.Key).Order(), r.Body.Select(p => p.Key).Order());
        AssertSameShape(fixture, [recorded["data"]!.AsObject()], [r.Data!.AsObject()], [], []);
        var caps = recorded["data"]!["cap"]!.AsObject();
        foreach (var (area, privs) in caps)
            foreach (var (priv, _) in privs!.AsObject())
                Assert.True(r.Data!["cap"]![area]?[priv] is not null, $"cap {area}/{priv} missing");
    }

    [Theory]
    [InlineData("fog-proxmox/post-access-ticket--401-auth-failure.json")]
    [InlineData("fog-proxmox/get-nodes-node-qemu-vmid-status-current--500-no-such-vm.json")]
    [InlineData("fog-proxmox/post-nodes-node-qemu-vmid-status-start.json")]
    public async Task RecordedExchange_IsAnsweredTheSameWay(string fixture)
    {
        var f = SharedProxmoxData.Fixture(fixture);
        var request = f["request"]!;
        var recorded = f["response"]!;
        var method = new HttpMethod(request["method"]!.GetValue<string>());
        var path = request["path"]!.GetValue<string>()["/api2/json/".Length..];
        var form = request["form"] is JsonObject o
            ? o.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>().Replace("<redacted>", "wrong-password", StringComparison.Ordinal))
            : method == HttpMethod.Post ? new Dictionary<string, string>() : null;
        if (path.StartsWith("nodes/pve/qemu/100/status/start", StringComparison.Ordinal)) _small.Cluster.SetGuestStatus(100, "stopped");
        if (path == "nodes/pve/qemu/100/status/current") path = "nodes/pve/qemu/555/status/current";   // 100 exists in "single"

        var client = path.StartsWith("access/", StringComparison.Ordinal) ? _small.Anonymous() : _small.WithToken();
        var ours = await client.SendAsync(method, path, form);

        Assert.Equal(recorded["status"]!.GetValue<int>(), (int)ours.Status);
        Assert.Equal(recorded["reason"]!.GetValue<string>().Replace("100.conf", "555.conf", StringComparison.Ordinal), ours.Reason);
        Assert.Equal(recorded["body"]!.AsObject().Select(p => p.Key), ours.Body.Select(p => p.Key));
        var recordedData = recorded["body"]!["data"];
        if (recordedData is null) Assert.Null(ours.Data);
        else Assert.Matches(@"^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:100:root@pam!moxxie:$", ours.Data!.GetValue<string>());
    }

    private static bool IsRealRecording(string fixture) => fixture.StartsWith("fog-proxmox/", StringComparison.Ordinal);

    private static readonly HashSet<string> ResourceTypes = ["cluster", "node", "qemu", "lxc", "storage", "sdn", "pool"];

    /// <summary>Lists mixing resource types (cluster/resources, cluster/status) are compared per type.</summary>
    private static string Kind(JsonObject item) =>
        item["type"]?.GetValueKind() == JsonValueKind.String && ResourceTypes.Contains(item["type"]!.GetValue<string>())
            ? item["type"]!.GetValue<string>()
            : "item";

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Union of keys over all items must match (modulo the allowances); shared keys must have the same JSON type.</summary>
    private static void AssertSameShape(string what, IReadOnlyList<JsonObject> recorded, IReadOnlyList<JsonObject> ours,
        string[] allowMissing, string[] allowExtra)
    {
        var recordedKeys = recorded.SelectMany(o => o.Select(p => p.Key)).ToHashSet();
        var ourKeys = ours.SelectMany(o => o.Select(p => p.Key)).ToHashSet();
        var missing = recordedKeys.Except(ourKeys).Except(allowMissing).Order().ToList();
        var extra = ourKeys.Except(recordedKeys).Except(allowExtra).Order().ToList();
        Assert.True(missing.Count == 0, $"{what}: simulator lacks {string.Join(", ", missing)}");
        Assert.True(extra.Count == 0, $"{what}: simulator adds {string.Join(", ", extra)}");

        foreach (var key in recordedKeys.Intersect(ourKeys))
        {
            var recordedKinds = recorded.Where(o => o.ContainsKey(key)).Select(o => KindOf(o[key])).ToHashSet();
            var ourKinds = ours.Where(o => o.ContainsKey(key)).Select(o => KindOf(o[key])).ToHashSet();
            if (TypeQuirkKeys.Contains(key))
            {
                Assert.True(ourKinds.All(k => k is JsonValueKind.Number or JsonValueKind.String),
                    $"{what}: '{key}' is {string.Join("/", ourKinds)}");
                continue;
            }
            Assert.True(ourKinds.IsSubsetOf(recordedKinds),
                $"{what}: '{key}' is {string.Join("/", ourKinds)} here but {string.Join("/", recordedKinds)} in the recording");
        }
    }

    private static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() switch
    {
        null => JsonValueKind.Null,
        JsonValueKind.True or JsonValueKind.False => JsonValueKind.True,
        var k => k!.Value,
    };
}
