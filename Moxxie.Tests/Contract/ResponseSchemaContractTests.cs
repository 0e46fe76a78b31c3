using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Moxxie.Simulator;
using Moxxie.Simulator.Schema;
using Moxxie.Tests.Simulator;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// Contract (c): every answer of the simulator validates against the method's "returns" schema. Sweeps every served GET
/// method on the seeded small preset with real ids (every node; every guest of the type on it; their snapshots; tasks;
/// storages and volumes; interfaces; services; HA resources; SDN and pools as they are served), plus one variant per value
/// of each optional enum parameter and per optional boolean, with the simulator's own response validation on (a violation
/// answers 500 "Result verification failed") and every 200 answer checked again here against PVE's full schema.
/// </summary>
public sealed class ResponseSchemaContractTests(ContractCluster cluster) : IClassFixture<ContractCluster>
{
    private const int MaxRequestsPerMethod = 60;

    /// <summary>Served GET methods that need something the small preset does not have; each line says what.</summary>
    private static readonly Dictionary<string, string> NoInstanceInPreset = new(StringComparer.Ordinal)
    {
    };

    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject?> _vnc = new(StringComparer.Ordinal);

    [Fact]
    public async Task EveryServedGet_AnswersWithinItsReturnsSchema()
    {
        var full = PveSchema.Parse(SchemaContractData.FullSchemaText());
        // The small preset has no HA resources: manage one guest so GET /cluster/ha/resources/{sid} has an instance.
        var ha = await cluster.Api.PostFormAsync("cluster/ha/resources", new Dictionary<string, string> { ["sid"] = $"vm:{cluster.Qemu}" });
        Assert.True(ha.Status == HttpStatusCode.OK, $"POST cluster/ha/resources: {(int)ha.Status} {ha.Reason}");
        var gets = SimulatorServer.ServedRoutes.Where(r => r.Method == "GET").Select(r => r.Template.Trim('/'))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        int requests = 0, validated = 0, swept = 0;
        foreach (var template in gets)
        {
            var key = $"GET /{template}";
            var info = ContractCluster.MethodInfo("GET", template);
            var ok = 0;
            string? refused = null;
            foreach (var values in await RequestsAsync(template, info))
            {
                requests++;
                var r = await cluster.SendAsync("GET", template, values);
                var what = $"{key} ({string.Join("&", values.Select(v => $"{v.Key}={v.Value}"))})";
                if (r.Reason?.StartsWith("Result verification failed", StringComparison.Ordinal) == true)
                {
                    problems.Add($"{what}: {r.Reason}");
                    continue;
                }
                if (r.Status != HttpStatusCode.OK)
                {
                    refused ??= $"{what}: {(int)r.Status} {r.Reason}";
                    continue;
                }
                ok++;
                validated++;
                foreach (var (path, message) in full.ValidateReturns("GET", "/" + template, r.Data))
                    problems.Add($"{what}: data.{path}: {message}");
            }
            if (ok > 0) swept++;
            else if (!NoInstanceInPreset.ContainsKey(key)) problems.Add($"{key}: no request answered 200 - nothing was validated (first refusal: {refused ?? "no ids in the preset"})");
        }

        var notSwept = NoInstanceInPreset.Count > 0 ? "; not swept: " + string.Join(", ", NoInstanceInPreset.Select(n => $"{n.Key} ({n.Value})")) : "";
        SchemaContractData.Report(string.Create(CultureInfo.InvariantCulture,
            $"[contract] returns: swept {swept}/{gets.Count} served GET methods ({requests} requests, {validated} answers validated against PVE's returns schema){notSwept}"));
        Assert.True(problems.Count == 0, "answers outside the returns schema:\n  " + string.Join("\n  ", problems.Take(40)));
    }

    /// <summary>Every combination of real ids for the template's placeholders (capped), then enum/boolean variants on the first.</summary>
    private async Task<List<Dictionary<string, string>>> RequestsAsync(string template, JsonObject info)
    {
        var placeholders = ContractCluster.Placeholders(template);
        var combos = new List<Dictionary<string, string>> { new(StringComparer.Ordinal) };
        foreach (var p in placeholders)
        {
            var next = new List<Dictionary<string, string>>();
            foreach (var c in combos)
                foreach (var v in await IdsAsync(template, p, c))
                    next.Add(new Dictionary<string, string>(c, StringComparer.Ordinal) { [p] = v });
            combos = next;
        }
        if (combos.Count == 0) return [];

        var parameters = SchemaRequestGenerator.Parameters(info).Where(p => !placeholders.Contains(p.Name)).ToList();
        foreach (var c in combos)
            foreach (var (name, schema) in parameters.Where(p => !SchemaRequestGenerator.IsOptional(p.Schema)))
                c[name] = await RequiredAsync(template, name, schema, c);

        var result = combos.Take(MaxRequestsPerMethod).ToList();
        var first = combos[0];
        foreach (var (name, schema) in parameters.Where(p => SchemaRequestGenerator.IsOptional(p.Schema)))
        {
            IEnumerable<string> values = schema["enum"] is JsonArray e ? e.Take(8).Select(x => x!.ToString())
                : schema["type"]?.ToString() == "boolean" ? ["1"] : [];
            foreach (var v in values) result.Add(new Dictionary<string, string>(first, StringComparer.Ordinal) { [name] = v });
        }
        return result;
    }

    private async Task<string> RequiredAsync(string template, string name, JsonObject schema, Dictionary<string, string> ids)
    {
        if (template.EndsWith("/vncwebsocket", StringComparison.Ordinal) && name is "port" or "vncticket")
        {
            // A real ticket: POST …/vncproxy for the same guest first (once for both parameters).
            var proxy = template[..^"vncwebsocket".Length] + "vncproxy";
            var guest = new Dictionary<string, string> { ["node"] = ids["node"], ["vmid"] = ids["vmid"] };
            var cacheKey = $"{proxy}#{guest["node"]}#{guest["vmid"]}";
            if (!_vnc.TryGetValue(cacheKey, out var d))
                _vnc[cacheKey] = d = (await cluster.SendAsync("POST", proxy, new Dictionary<string, string>(guest) { ["websocket"] = "1" })).Data as JsonObject;
            if (d is null) return name == "port" ? "5900" : "PVEVNC:none";   // a stopped guest has no console
            return name == "port" ? d["port"]!.ToString() : d["ticket"]!.GetValue<string>();
        }
        if (template.EndsWith("/extractconfig", StringComparison.Ordinal) && name == "volume")
            return (await ListAsync($"nodes/{ids["node"]}/storage/backup-nas/content?content=backup", "volid")).FirstOrDefault() ?? "backup-nas:none";
        return cluster.RequiredValue(template, name, schema) ?? throw new InvalidOperationException($"GET /{template}: no value for required '{name}'");
    }

    private async Task<IReadOnlyList<string>> IdsAsync(string template, string placeholder, Dictionary<string, string> bound)
    {
        string N() => bound["node"];
        var type = template.Contains("/lxc/", StringComparison.Ordinal) ? "lxc" : "qemu";
        return placeholder switch
        {
            "node" => await ListAsync("nodes", "node"),
            "vmid" => await ListAsync($"nodes/{N()}/{type}", "vmid"),
            "snapname" => [.. (await ListAsync($"nodes/{N()}/{type}/{bound["vmid"]}/snapshot", "name")).Where(n => n != "current")],
            "upid" => [.. (await ListAsync($"nodes/{N()}/tasks", "upid")).Take(3)],
            "storage" => bound.ContainsKey("node") ? await ListAsync($"nodes/{N()}/storage", "storage") : await ListAsync("storage", "storage"),
            "volume" => [.. (await ListAsync($"nodes/{N()}/storage/{bound["storage"]}/content", "volid")).Take(3)],
            "iface" => await ListAsync($"nodes/{N()}/network", "iface"),
            "service" => await ListAsync($"nodes/{N()}/services", "service"),
            "sid" => await ListAsync("cluster/ha/resources", "sid"),
            "zone" => await ListAsync("cluster/sdn/zones", "zone"),
            "vnet" => await ListAsync("cluster/sdn/vnets", "vnet"),
            "subnet" => await ListAsync($"cluster/sdn/vnets/{bound["vnet"]}/subnets", "subnet"),
            "poolid" => await ListAsync("pools", "poolid"),
            "id" when template.StartsWith("cluster/backup", StringComparison.Ordinal) => await ListAsync("cluster/backup", "id"),
            _ => throw new InvalidOperationException($"GET /{template}: no preset ids for '{{{placeholder}}}' - add a line to ResponseSchemaContractTests.IdsAsync"),
        };
    }

    /// <summary>One field of every entry of a list answer (cached per path).</summary>
    private async Task<List<string>> ListAsync(string path, string field)
    {
        var key = path + "#" + field;
        if (_lists.TryGetValue(key, out var cached)) return cached;
        var r = await cluster.Api.GetJsonAsync(path);
        Assert.True(r.Status == HttpStatusCode.OK, $"listing ids: GET {path}: {(int)r.Status} {r.Reason}");
        var list = r.Data is JsonArray a ? a.Select(e => e?[field]?.ToString()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList() : [];
        _lists[key] = list;
        return list;
    }
}
