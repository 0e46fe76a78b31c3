using System.Text.Json.Nodes;
using Moxxie.Simulator.Schema;
using Moxxie.Tests.Simulator;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// A simulator on the seeded "small" preset (the guide's 3-node production-cluster, seed 1, answers checked against the
/// schema's "returns") for one contract test class, with real ids read from its API: a node and a second node, a qemu VM with
/// snapshots and an LXC container on that node, a task, a storage and a volume on it, an interface, a service, an HA resource.
/// </summary>
public sealed class ContractCluster : IAsyncLifetime
{
    public SimulatorHarness Sim { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public string Node { get; private set; } = "";
    public string OtherNode { get; private set; } = "";
    public int Qemu { get; private set; }
    public int Lxc { get; private set; }
    public string? QemuSnapshot { get; private set; }
    public string? LxcSnapshot { get; private set; }
    public string Upid { get; private set; } = "";
    public string Storage { get; private set; } = "";
    public string? Volume { get; private set; }
    public string Iface { get; private set; } = "";
    public string Service { get; private set; } = "";
    public string? Sid { get; private set; }
    public int FreeVmid { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Sim = await SimulatorHarness.StartAsync("small", seed: 1, taskSpeed: 50);
        Api = Sim.WithToken();
        var nodes = (await Get("nodes")).AsArray().Select(n => n!["node"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        (Node, OtherNode) = (nodes[0], nodes[1]);

        var qemus = (await Get($"nodes/{Node}/qemu")).AsArray().Select(g => (int)g!["vmid"]!.GetValue<double>()).Order().ToList();
        foreach (var vmid in qemus)
        {
            var snap = await FirstSnapshot("qemu", vmid);
            if (snap is null) continue;
            (Qemu, QemuSnapshot) = (vmid, snap);
            break;
        }
        if (Qemu == 0) (Qemu, QemuSnapshot) = (qemus[0], await CreateSnapshotAsync("qemu", qemus[0]));
        Lxc = (await Get($"nodes/{Node}/lxc")).AsArray().Select(g => int.Parse(g!["vmid"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)).Order().First();
        LxcSnapshot = await FirstSnapshot("lxc", Lxc) ?? await CreateSnapshotAsync("lxc", Lxc);
        Upid = (await Get($"nodes/{Node}/tasks?limit=1")).AsArray()[0]!["upid"]!.GetValue<string>();
        Storage = "local";
        Volume = (await Get($"nodes/{Node}/storage/{Storage}/content")).AsArray().Select(v => v!["volid"]!.GetValue<string>()).FirstOrDefault();
        Iface = (await Get($"nodes/{Node}/network")).AsArray().Select(i => i!["iface"]!.GetValue<string>()).Order(StringComparer.Ordinal).First();
        Service = (await Get($"nodes/{Node}/services")).AsArray().Select(s => s!["service"]!.GetValue<string>()).Contains("pveproxy") ? "pveproxy"
            : (await Get($"nodes/{Node}/services")).AsArray()[0]!["service"]!.GetValue<string>();
        Sid = (await Get("cluster/ha/resources")).AsArray().Select(r => r!["sid"]!.GetValue<string>()).FirstOrDefault();
        FreeVmid = int.Parse((await Get("cluster/nextid"))!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync() => await Sim.DisposeAsync();

    private async Task<JsonNode> Get(string path)
    {
        var r = await Api.GetJsonAsync(path);
        Assert.True(r.Status == System.Net.HttpStatusCode.OK, $"{path}: {(int)r.Status} {r.Reason}");
        return r.Data!;
    }

    private async Task<string?> FirstSnapshot(string type, int vmid) =>
        (await Get($"nodes/{Node}/{type}/{vmid}/snapshot")).AsArray().Select(s => s!["name"]!.GetValue<string>()).FirstOrDefault(n => n != "current");

    /// <summary>The preset has no snapshots: take one (without RAM) and wait for its task, so snapshot routes have a real name.</summary>
    private async Task<string> CreateSnapshotAsync(string type, int vmid)
    {
        const string name = "contract-snap";
        var r = await Api.PostFormAsync($"nodes/{Node}/{type}/{vmid}/snapshot", new Dictionary<string, string> { ["snapname"] = name });
        Assert.True(r.Status == System.Net.HttpStatusCode.OK, $"snapshot of {type} {vmid}: {(int)r.Status} {r.Reason}");
        var status = $"nodes/{Node}/tasks/{Uri.EscapeDataString(r.Data!.GetValue<string>())}/status";
        await ApiCall.WaitForAsync(() => Api.GetJsonAsync(status), t => t.Data?["status"]?.GetValue<string>() == "stopped");
        return name;
    }

    /// <summary>The placeholders of a template ("nodes/{node}/qemu/{vmid}" → node, vmid).</summary>
    public static IReadOnlyList<string> Placeholders(string template) =>
        [.. template.Split('/').Where(s => s.StartsWith('{')).Select(s => s[1..^1])];

    /// <summary>Real ids from the preset for a template's placeholders.</summary>
    public Dictionary<string, string> PathValues(string template)
    {
        var lxc = template.Contains("/lxc/", StringComparison.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Placeholders(template))
        {
            values[p] = p switch
            {
                "node" => Node,
                "vmid" => (lxc ? Lxc : Qemu).ToString(System.Globalization.CultureInfo.InvariantCulture),
                "snapname" => (lxc ? LxcSnapshot : QemuSnapshot) ?? "moxxie-none",
                "upid" => Upid,
                "storage" => Storage,
                "volume" => Volume ?? $"{Storage}:iso/none.iso",
                "iface" => Iface,
                "service" => Service,
                "sid" => Sid ?? $"vm:{Qemu}",
                "id" => "backup-7c1e93d2-5a1f",
                "poolid" => "production",
                "zone" => "labzone",
                "vnet" => "labnet",
                "subnet" => "labzone-10.10.0.0-24",
                _ => throw new InvalidOperationException($"no preset id for '{{{p}}}' in {template}: add one to ContractCluster.PathValues"),
            };
        }
        return values;
    }

    /// <summary>A value for a required non-path parameter that the preset accepts (or that at most fails for state reasons).</summary>
    public string? RequiredValue(string template, string name, JsonObject schema)
    {
        var lxc = template.Contains("/lxc/", StringComparison.Ordinal);
        var free = FreeVmid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return name switch
        {
            "username" => "root@pam",
            "password" => Sim.Server.RootPassword,
            "sid" => Sid ?? $"vm:{Qemu}",
            "target" => OtherNode,
            "disk" => lxc ? "rootfs" : "scsi0",
            "size" when template.EndsWith("/resize", StringComparison.Ordinal) => "+1G",
            "snapname" => "contract1",
            "port" => "5900",
            "vncticket" => "PVEVNC:contract",
            "iface" => "vmbr9",
            "type" when template.StartsWith("cluster/sdn/zones", StringComparison.Ordinal) => "simple",
            "type" when template.EndsWith("/subnets", StringComparison.Ordinal) => "subnet",
            "type" => "bridge",
            "poolid" => "production",
            "zone" when template == "cluster/sdn/zones" => "ctzone",
            "zone" => "labzone",
            "vnet" => "ctnet",
            "subnet" => "10.99.0.0/24",
            "newid" or "vmid" => free,
            "filename" => template.EndsWith("/content", StringComparison.Ordinal) ? $"vm-{free}-disk-0.raw" : "contract.iso",
            "content" => "iso",
            "url" => "https://example.com/contract.iso",
            _ => SchemaRequestGenerator.ValidValue(schema),
        };
    }

    /// <summary>Sends a request: path placeholders filled from <paramref name="values"/>, the rest as query (GET/DELETE) or form.</summary>
    public Task<ApiCall.Result> SendAsync(string method, string template, IReadOnlyDictionary<string, string> values)
    {
        var placeholders = Placeholders(template);
        var path = string.Join('/', template.Trim('/').Split('/').Select(s => s.StartsWith('{') ? Uri.EscapeDataString(values[s[1..^1]]) : s));
        var rest = values.Where(v => !placeholders.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);
        if (method is "GET" or "DELETE")
        {
            if (rest.Count > 0) path += "?" + string.Join('&', rest.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            return Api.SendAsync(new HttpMethod(method), path);
        }
        return Api.SendAsync(new HttpMethod(method), path, rest);
    }

    /// <summary>The raw schema (parameters, returns) of a method in PVE's full schema dump.</summary>
    public static JsonObject MethodInfo(string method, string template)
    {
        var key = $"{method} /{template.Trim('/')}";
        return FullMethods.Value.TryGetValue(key, out var info) ? info : throw new KeyNotFoundException($"{key} is not in PVE's schema");
    }

    private static readonly Lazy<Dictionary<string, JsonObject>> FullMethods = new(() =>
        SchemaSubset.Enumerate(SchemaContractData.FullSchema()).ToDictionary(m => $"{m.Method} /{m.Path.Trim('/')}", m => m.Info, StringComparer.Ordinal));
}
