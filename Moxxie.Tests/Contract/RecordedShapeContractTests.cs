using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Moxxie.Tests.Simulator;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// Contract (e): for every recording in ../shared/proxmox/fixtures (one case per file, found by listing the folder, so a new
/// recording is picked up without code changes) the simulator answers the same request with the same shape: status (and for
/// errors the reason phrase and error keys), envelope members such as <c>total</c>/<c>changes</c>, and inside "data" the same
/// keys with the same JSON types, list entries compared per resource type. The recorded path is mapped to the small preset:
/// placeholders get preset ids chosen by the recording's variant (a stopped VM for "--stopped", a finished task with an error
/// for "--error", a task started now on a frozen clock for "--running", a missing VM for "--500-no-such-vm", …).
/// Known differences are listed in <see cref="Exceptions"/>, each with its reason.
/// </summary>
public sealed partial class RecordedShapeContractTests(RecordedShapeContractTests.FrozenCluster sim) : IClassFixture<RecordedShapeContractTests.FrozenCluster>
{
    private const string Missing = "(../shared/proxmox missing)";

    /// <summary>Keys whose JSON type PVE itself changed across versions (NOTES.md §1): number or string are both accepted.</summary>
    private static readonly HashSet<string> TypeQuirkKeys = ["vmid", "pid", "template", "disk", "maxdisk", "lock", "port", "ctime", "saved"];

    /// <summary>One allowance: keys (dotted paths inside data, "*" for every file of an endpoint) the simulator may lack or add.</summary>
    private sealed record Allowance(string[] MayLack, string[] MayAdd, string Reason);

    /// <summary>
    /// Documented differences between the recordings (PVE 6.2–9) and the simulator (PVE 8.4/9 answers, small preset).
    /// Keyed by fixture file (or "*" + endpoint for every recording of that endpoint).
    /// </summary>
    private static readonly Dictionary<string, Allowance> Exceptions = new(StringComparer.Ordinal)
    {
        ["* GET /nodes/{node}/qemu"] = new([], ["tags", "lock"], "tags/lock appear when a guest has them; the recordings' guests had none"),
        ["* GET /nodes/{node}/lxc"] = new(["template", "lock"], ["tags", "pid", "lock"],
            "PVE 6/7 sent template \"\" and an empty lock on every container; PVE 8+ leaves unset keys out, adds tags when set"),
        ["* GET /nodes/{node}/qemu/{vmid}/status/current"] = new(["pid", "template", "blockstat", "proxmox-support", "spice", "shares", "balloon_min"],
            ["tags", "agent", "lock"],
            "PVE 6 sent pid null/template \"\" on stopped VMs; blockstat, proxmox-support, spice, shares, balloon_min need configured devices the simulator does not model"),
        ["* GET /nodes/{node}/lxc/{vmid}/status/current"] = new(["template", "lock"], ["tags"], "PVE 6 sent template \"\"/empty lock; tags when set"),
        ["* GET /cluster/resources"] = new([], ["lock", "hastate", "tags", "pool", "cgroup-mode"],
            "lock/hastate/tags/pool appear when set; cgroup-mode is sent by PVE 8+ for nodes"),
        ["* GET /nodes/{node}/status"] = new([], ["boot-info", "current-kernel", "memory.available"],
            "PVE 8+ adds boot-info, current-kernel and memory.available (the recording is PVE 7.4)"),
        ["* GET /nodes/{node}/qemu/{vmid}/config"] = new(["virtio0"], ["*"],
            "a config carries the keys of its VM's hardware and options: the recorded template used virtio0 and defaults, preset VMs use scsi0 and set cores/memory/…; shared keys must keep their types"),
        ["* GET /nodes/{node}/network"] = new([], ["bridge_vids", "bridge_vlan_aware", "comments", "vlan-id", "vlan-raw-device"],
            "set only on interfaces configured with them (VLAN-aware bridges, VLAN interfaces, comments); the recorded hosts had none"),
        ["* GET /nodes/{node}/storage/{storage}/content"] = new([], ["notes", "protected", "subtype"],
            "backup notes and the protected flag appear when set (the recorded backups had none); PVE 7+ adds subtype (qemu/lxc) to backups, the fog recording is PVE 6.2"),
        ["* GET /cluster/sdn/zones"] = new([], ["mtu", "nodes", "dns", "dnszone", "reversedns", "vlan-protocol", "pending", "state"],
            "zone options appear only when set (the recorded zones set none of these)"),
        ["* GET /cluster/sdn/vnets"] = new(["isolate-ports", "alias", "tag"], ["alias", "tag", "vlanaware", "isolate-ports", "pending", "state"],
            "vnet options appear only when set (one recorded vnet isolates ports, the preset's do not)"),
        ["* GET /cluster/backup"] = new([], ["all", "comment", "compress", "protected", "prune-backups", "pool", "node", "exclude", "notification-mode", "repeat-missed"],
            "job options appear only when set (the recorded jobs set none of these)"),
        ["* POST /access/ticket"] = new([], ["clustername", "cap.*"],
            "clustername is sent when the node is in a cluster (the recorded host was standalone); each PVE release adds privileges to cap (PVE 8/9: VM.GuestAgent.*, SDN.*, mapping, …) - the recorded ones must all be there"),
    };

    public static TheoryData<string> Files()
    {
        var files = SharedProxmoxData.FixtureFiles();
        return files.Count == 0 ? new TheoryData<string>(Missing) : new TheoryData<string>(files);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task SimulatorAnswer_HasTheRecordedShape(string file)
    {
        SharedProxmoxData.RequireOrSkip();
        var f = RecordedFixture.Load(file);
        if (RouteCoverageTests.NotYetServed.Contains(f.Endpoint))
        {
            var line = $"[contract] SKIPPED: {file}: {f.Endpoint} is not served yet (RouteCoverageTests.NotYetServed)";
            Console.WriteLine(line);
            Assert.Skip(line);
        }
        var request = await sim.MapAsync(f);
        var ours = await sim.SendAsync(f.Method, f.Template, request);
        sim.Settle();   // let tasks started by this case finish before the next one

        var problems = new List<string>();
        if ((int)ours.Status != f.Status) problems.Add($"status {(int)ours.Status} {ours.Reason}, recorded {f.Status} {f.Reason}");
        else if (f.IsError)
        {
            var expected = sim.Substitute(f, f.Reason ?? "");
            if (ours.Reason != expected) problems.Add($"reason '{ours.Reason}', recorded (ids mapped) '{expected}'");
            var recordedErrors = (f.Body["errors"] as JsonObject)?.Select(e => $"{e.Key}: {e.Value}").Order().ToList() ?? [];
            var ourErrors = (ours.Body["errors"] as JsonObject)?.Select(e => $"{e.Key}: {e.Value}").Order().ToList() ?? [];
            if (!recordedErrors.SequenceEqual(ourErrors)) problems.Add($"errors {{{string.Join("; ", ourErrors)}}}, recorded {{{string.Join("; ", recordedErrors)}}}");
        }
        if ((int)ours.Status == f.Status)
        {
            var envelopeReconstructed = SharedProxmoxData.Fixture(file)["fixture"]?["notes"]?.ToString().Contains("envelope here is reconstructed", StringComparison.Ordinal) == true;
            var recordedEnvelope = f.Body.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
            var ourEnvelope = ours.Body.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
            if (!envelopeReconstructed && !recordedEnvelope.SequenceEqual(ourEnvelope))
                problems.Add($"envelope {{{string.Join(", ", ourEnvelope)}}}, recorded {{{string.Join(", ", recordedEnvelope)}}}");
            foreach (var (key, value) in f.Body.Where(p => p.Key != "data" && p.Key != "errors"))
                if (ours.Body[key] is { } o && Kind(o) != Kind(value)) problems.Add($"envelope '{key}' is {Kind(o)}, recorded {Kind(value)}");
            var allowance = Exceptions.GetValueOrDefault(file) ?? Exceptions.GetValueOrDefault("* " + f.Endpoint);
            CompareData(f.Data, ours.Data, "data", allowance, problems);
        }
        Assert.True(problems.Count == 0, $"{file} ({f.Endpoint}, sent {f.Method} {string.Join("&", request.Select(r => $"{r.Key}={r.Value}"))}):\n  " + string.Join("\n  ", problems));
    }

    // ---- shape comparison -------------------------------------------------------------------------------------

    private static void CompareData(JsonNode? recorded, JsonNode? ours, string path, Allowance? allow, List<string> problems)
    {
        if (recorded is null) return;   // null data: nothing to compare (errors, void answers)
        if (ours is null)
        {
            problems.Add($"{path} is null, recorded {Kind(recorded)}");
            return;
        }
        switch (recorded)
        {
            case JsonArray ra when ours is JsonArray oa:
                var recordedItems = ra.OfType<JsonObject>().ToList();
                var ourItems = oa.OfType<JsonObject>().ToList();
                if (recordedItems.Count == 0)
                {
                    if (ra.Count > 0 && oa.Count > 0 && Kind(ra[0]) != Kind(oa[0])) problems.Add($"{path}[] items are {Kind(oa[0])}, recorded {Kind(ra[0])}");
                    return;
                }
                foreach (var group in recordedItems.GroupBy(ItemKind))
                {
                    var mine = ourItems.Where(i => ItemKind(i) == group.Key).ToList();
                    if (mine.Count == 0)
                    {
                        problems.Add($"{path}: the simulator lists no '{group.Key}' entries");
                        continue;
                    }
                    CompareObjects([.. group], mine, group.Key == "item" ? path + "[]" : $"{path}[{group.Key}]", allow, problems);
                }
                return;
            case JsonObject ro when ours is JsonObject oo:
                CompareObjects([ro], [oo], path, allow, problems);
                return;
            default:
                if (!SameKind(recorded, ours, path)) problems.Add($"{path} is {Kind(ours)}, recorded {Kind(recorded)}");
                return;
        }
    }

    /// <summary>Union of keys must match (modulo allowances); shared keys must have a recorded JSON type; nested objects recurse.</summary>
    private static void CompareObjects(IReadOnlyList<JsonObject> recorded, IReadOnlyList<JsonObject> ours, string path, Allowance? allow, List<string> problems)
    {
        var recordedKeys = recorded.SelectMany(o => o.Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
        var ourKeys = ours.SelectMany(o => o.Select(p => p.Key)).ToHashSet(StringComparer.Ordinal);
        string Rel(string key) => Regex.Replace($"{path}.{key}", @"^data(\[[^\]]*\])?\.", "");
        var lacks = recordedKeys.Except(ourKeys).Where(k => !Allowed(allow?.MayLack, Rel(k))).Order(StringComparer.Ordinal).ToList();
        var adds = ourKeys.Except(recordedKeys).Where(k => !Allowed(allow?.MayAdd, Rel(k))).Order(StringComparer.Ordinal).ToList();
        if (lacks.Count > 0) problems.Add($"{path}: the simulator lacks {string.Join(", ", lacks)}");
        if (adds.Count > 0) problems.Add($"{path}: the simulator adds {string.Join(", ", adds)}");

        foreach (var key in recordedKeys.Intersect(ourKeys))
        {
            var recordedValues = recorded.Where(o => o.ContainsKey(key)).Select(o => o[key]).ToList();
            var ourValues = ours.Where(o => o.ContainsKey(key)).Select(o => o[key]).ToList();
            var recordedKinds = recordedValues.Select(Kind).ToHashSet();
            var ourKinds = ourValues.Select(Kind).ToHashSet();
            if (TypeQuirkKeys.Contains(key))
            {
                if (!ourKinds.All(k => k is JsonValueKind.Number or JsonValueKind.String))
                    problems.Add($"{path}.{key} is {string.Join("/", ourKinds)}");
                continue;
            }
            if (recordedKinds.Contains(JsonValueKind.Null)) continue;   // PVE sends null for unset values; any type fits
            if (!ourKinds.IsSubsetOf(recordedKinds))
            {
                problems.Add($"{path}.{key} is {string.Join("/", ourKinds)}, recorded {string.Join("/", recordedKinds)}");
                continue;
            }
            if (KeyedByName.Contains(key))
            {
                // Keys are names (tap101i0, drive-scsi0): compare the entries' shapes, not the names.
                var recordedEntries = recordedValues.OfType<JsonObject>().SelectMany(o => o.Select(p => p.Value)).OfType<JsonObject>().ToList();
                var ourEntries = ourValues.OfType<JsonObject>().SelectMany(o => o.Select(p => p.Value)).OfType<JsonObject>().ToList();
                if (recordedEntries.Count > 0 && ourEntries.Count > 0) CompareObjects(recordedEntries, ourEntries, $"{path}.{key}.*", allow, problems);
                continue;
            }
            if (recordedValues.FirstOrDefault(v => v is JsonObject) is JsonObject ro && ourValues.FirstOrDefault(v => v is JsonObject) is JsonObject oo)
                CompareObjects([ro], [oo], $"{path}.{key}", allow, problems);
        }
    }

    /// <summary>"*" allows every key, "cap.*" every key below cap, anything else exactly that (dotted) key.</summary>
    private static bool Allowed(string[]? list, string key) =>
        list is not null && list.Any(a => a == "*" || a == key || (a.EndsWith(".*", StringComparison.Ordinal) && key.StartsWith(a[..^1], StringComparison.Ordinal)));

    /// <summary>Objects whose keys are names of things (NICs, drives) rather than fields.</summary>
    private static readonly HashSet<string> KeyedByName = ["nics", "blockstat"];

    private static readonly HashSet<string> ResourceTypes = ["cluster", "node", "qemu", "lxc", "storage", "sdn", "pool", "network", "openvz"];

    /// <summary>Lists mixing resource types (cluster/resources, cluster/status) are compared per type.</summary>
    private static string ItemKind(JsonObject item) =>
        item["type"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && ResourceTypes.Contains(v.GetValue<string>()) ? v.GetValue<string>() : "item";

    private static bool SameKind(JsonNode recorded, JsonNode ours, string path) =>
        Kind(recorded) == Kind(ours) || (TypeQuirkKeys.Contains(path.Split('.').Last()) && Kind(ours) is JsonValueKind.Number or JsonValueKind.String);

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null => JsonValueKind.Null,
        JsonValueKind.True or JsonValueKind.False => JsonValueKind.True,
        var k => k!.Value,
    };

    // ---- the simulator side --------------------------------------------------------------------------------------

    /// <summary>The small preset on a clock that only moves when a case settles, so a task started by a case is still running.</summary>
    public sealed class FrozenCluster : IAsyncLifetime
    {
        private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        private readonly Dictionary<string, string> _substitutions = new(StringComparer.Ordinal);

        public SimulatorHarness Harness { get; private set; } = null!;
        public HttpClient Api { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Harness = await SimulatorHarness.StartAsync("small", seed: 1, taskSpeed: 1, time: _clock);
            await LoginAsync();
        }

        /// <summary>Ticket auth like the recordings (tasks started by a token would carry tokenid); a fresh ticket per case,
        /// as settling moves the clock past the 2 h ticket lifetime.</summary>
        private async Task LoginAsync()
        {
            var (ticket, csrf) = await Harness.LoginAsync();
            Api = Harness.Create(c =>
            {
                c.DefaultRequestHeaders.Add("Cookie", $"PVEAuthCookie={Uri.EscapeDataString(ticket)}");
                c.DefaultRequestHeaders.Add("CSRFPreventionToken", csrf);
            });
        }

        public async ValueTask DisposeAsync() => await Harness.DisposeAsync();

        /// <summary>Finishes whatever tasks the last case started (an hour of simulated time).</summary>
        public void Settle() => _clock.Advance(TimeSpan.FromHours(1));

        public Task<ApiCall.Result> SendAsync(string method, string template, IReadOnlyDictionary<string, string> values)
        {
            var placeholders = ContractCluster.Placeholders(template);
            var path = string.Join('/', template.Trim('/').Split('/').Select(s => s.StartsWith('{') ? Uri.EscapeDataString(values[s[1..^1]]) : s));
            var rest = values.Where(v => !placeholders.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);
            var client = template.Trim('/') == "access/ticket" ? Harness.Anonymous() : Api;
            if (method is "GET" or "DELETE")
            {
                if (rest.Count > 0) path += "?" + string.Join('&', rest.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
                return client.SendAsync(new HttpMethod(method), path);
            }
            return client.SendAsync(new HttpMethod(method), path, rest);
        }

        /// <summary>The recorded reason with the recording's ids replaced by the ones this case used.</summary>
        public string Substitute(RecordedFixture f, string text)
        {
            foreach (var (from, to) in _substitutions)
                text = Regex.Replace(text, $@"(?<![\w-]){Regex.Escape(from)}(?![\w-])", to);
            return text;
        }

        /// <summary>The recorded request's parameters with ids taken from the preset, chosen by the recording's variant.</summary>
        public async Task<Dictionary<string, string>> MapAsync(RecordedFixture f)
        {
            _substitutions.Clear();
            await LoginAsync();
            var variant = f.File.Contains("--", StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(f.File)[(Path.GetFileNameWithoutExtension(f.File).IndexOf("--", StringComparison.Ordinal) + 2)..] : "";
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var nodes = (await ListAsync("nodes")).Select(n => n["node"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            var node = nodes[0];
            var type = f.Template.Contains("/lxc", StringComparison.Ordinal) ? "lxc" : "qemu";
            var t = f.Template.Trim('/');

            if (f.PathParams.ContainsKey("upid"))
            {
                var upid = await UpidAsync(f, variant, node);
                node = upid.Split(':')[1];
                Map(f, "upid", upid, values);
            }
            if (f.PathParams.ContainsKey("node")) Map(f, "node", node, values);
            if (f.PathParams.ContainsKey("vmid")) Map(f, "vmid", await VmidAsync(f, variant, node, type), values);
            // Backups live on the shared backup-nas in the cluster preset; other content on local.
            if (f.PathParams.ContainsKey("storage"))
                Map(f, "storage", variant is "backup" or "pbs" || f.Q("content") == "backup" ? "backup-nas" : "local", values);
            foreach (var p in f.PathParams.Keys.Where(k => !values.ContainsKey(k)))
                throw new InvalidOperationException($"{f.File}: no preset id for '{{{p}}}' - add it to RecordedShapeContractTests.MapAsync");

            foreach (var (k, v) in f.Query) values[k] = v;
            foreach (var (k, v) in f.Form) values[k] = v;
            if (values.ContainsKey("vncticket"))
            {
                var proxy = (await Api.PostFormAsync($"nodes/{values["node"]}/qemu/{values["vmid"]}/vncproxy", new Dictionary<string, string> { ["websocket"] = "1" })).Data!;
                values["port"] = proxy["port"]!.ToString();
                values["vncticket"] = proxy["ticket"]!.GetValue<string>();
            }
            if (t == "access/ticket")
                values["password"] = f.IsError ? "wrong-password" : Harness.Server.RootPassword;
            if (f.Query.ContainsKey("vmid") && f.Template.EndsWith("/content", StringComparison.Ordinal))
                values["vmid"] = (await ListAsync($"nodes/{values["node"]}/storage/{values["storage"]}/content?content=backup")).Select(v => v["vmid"]?.ToString()).First(v => v is not null)!;
            if (f.Method == "POST" && t == "nodes/{node}/qemu" && f.Form.TryGetValue("vmid", out var wanted))
            {
                // "already exists": a VM that exists in the preset.
                var existing = (await ListAsync($"nodes/{node}/qemu")).Select(g => g["vmid"]!.ToString()).First();
                _substitutions[wanted] = existing;
                values["vmid"] = existing;
            }
            if (f.Method == "GET" && t == "nodes/{node}/network")
            {
                // Pending changes ("changes" beside "data") exactly when the recording had them.
                if (f.Body.ContainsKey("changes"))
                    await Api.PostFormAsync($"nodes/{node}/network", new Dictionary<string, string> { ["iface"] = "vmbr77", ["type"] = "bridge" });
                else await Api.SendAsync(HttpMethod.Delete, $"nodes/{node}/network");
            }
            if (f.Method == "POST" && t == "nodes/{node}/network" && f.IsError)
            {
                // "interface already exists": an interface the node has.
                var iface = (await ListAsync($"nodes/{node}/network")).Select(i => i["iface"]!.GetValue<string>()).First();
                values["iface"] = iface;
                values["type"] = "bridge";
            }
            return values;
        }

        private void Map(RecordedFixture f, string name, string value, Dictionary<string, string> values)
        {
            values[name] = value;
            _substitutions[f[name]] = value;
        }

        private async Task<string> VmidAsync(RecordedFixture f, string variant, string node, string type)
        {
            if (variant.Contains("no-such-vm", StringComparison.Ordinal)) return "999";
            var wantTemplate = (f.Data as JsonObject)?["template"]?.ToString() is "1" or "true";
            var guests = (await ListAsync($"nodes/{node}/{type}")).Where(g => (g["template"]?.ToString() is "1" or "true") == wantTemplate).ToList();
            var wantStopped = variant.Contains("stopped", StringComparison.Ordinal) || f.Template.EndsWith("/status/start", StringComparison.Ordinal);
            var wantRunning = variant.Contains("running", StringComparison.Ordinal) || f.Template.EndsWith("/vncproxy", StringComparison.Ordinal)
                || f.Template.EndsWith("/vncwebsocket", StringComparison.Ordinal);
            if (wantStopped && type == "qemu" && !wantTemplate) return await StoppedQemuAsync(node);
            var pick = guests.FirstOrDefault(g => (!wantStopped || g["status"]?.ToString() == "stopped") && (!wantRunning || g["status"]?.ToString() == "running"))
                ?? throw new InvalidOperationException($"{f.File}: no {type} guest on {node} for variant '{variant}'");
            var vmid = pick["vmid"]!.ToString();
            if (f.Template.EndsWith("/snapshot", StringComparison.Ordinal) && f.Method == "GET")
            {
                // The preset has no snapshots: take one so the list has an entry besides "current".
                var r = await Api.PostFormAsync($"nodes/{node}/{type}/{vmid}/snapshot", new Dictionary<string, string> { ["snapname"] = "shape1" });
                Assert.True(r.Status == HttpStatusCode.OK, $"snapshot: {(int)r.Status} {r.Reason}");
                Settle();
            }
            return vmid;
        }

        private async Task<string> UpidAsync(RecordedFixture f, string variant, string node)
        {
            var recordedStatus = (f.Data as JsonObject)?["status"]?.ToString();
            var recordedExit = (f.Data as JsonObject)?["exitstatus"]?.ToString();
            var running = variant.Contains("running", StringComparison.Ordinal) || recordedStatus == "running";
            if (running)
            {
                // Start a task now; the frozen clock keeps it running until the case settles.
                var vmid = await StoppedQemuAsync(node);
                return (await Api.PostFormAsync($"nodes/{node}/qemu/{vmid}/status/start")).Data!.GetValue<string>();
            }
            var error = variant.Contains("error", StringComparison.Ordinal) || (recordedExit is not null && recordedExit != "OK");
            var tasks = (await ListAsync("cluster/tasks")).Where(t => t["endtime"] is not null).ToList();
            var recordedType = f["upid"].Split(':')[5];
            var pick = tasks.FirstOrDefault(t => error ? t["status"]?.ToString() != "OK" : t["status"]?.ToString() == "OK" && t["type"]?.ToString() == recordedType)
                ?? tasks.FirstOrDefault(t => error ? t["status"]?.ToString() != "OK" : t["status"]?.ToString() == "OK")
                ?? throw new InvalidOperationException($"{f.File}: no finished {(error ? "failed" : "OK")} task in the preset");
            return pick["upid"]!.GetValue<string>();
        }

        /// <summary>A stopped (non-template) VM on the node; earlier cases start VMs, so stop one when none is left.</summary>
        private async Task<string> StoppedQemuAsync(string node)
        {
            var guests = (await ListAsync($"nodes/{node}/qemu")).Where(g => g["template"]?.ToString() is not ("1" or "true")).ToList();
            if (guests.FirstOrDefault(g => g["status"]?.ToString() == "stopped") is { } stopped) return stopped["vmid"]!.ToString();
            var vmid = guests.First(g => g["status"]?.ToString() == "running")["vmid"]!.ToString();
            var r = await Api.PostFormAsync($"nodes/{node}/qemu/{vmid}/status/stop");
            Assert.True(r.Status == HttpStatusCode.OK, $"stop {vmid}: {(int)r.Status} {r.Reason}");
            Settle();
            return vmid;
        }

        private async Task<List<JsonObject>> ListAsync(string path)
        {
            var r = await Api.GetJsonAsync(path);
            Assert.True(r.Status == HttpStatusCode.OK, $"GET {path}: {(int)r.Status} {r.Reason}");
            return [.. r.Data!.AsArray().OfType<JsonObject>()];
        }
    }
}
