using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Moxxie.Tests.Contract;

/// <summary>
/// "Read without loss", checked generically: every scalar a recording carries (numbers, strings, booleans, nested lists) must
/// reappear in the domain object Moxxie's client built from it, and for lists every recorded item must be found in one domain
/// item (not spread over several). Values are compared after normalising PVE's quirks (numbers as strings, booleans as 0/1,
/// epoch seconds vs DateTimeOffset, ';'/','/' ' separated lists). Keys Moxxie deliberately does not carry are listed with the
/// reason in <see cref="NotCarried"/>.
/// </summary>
internal static class DomainLossCheck
{
    /// <summary>Recorded keys the domain model leaves out on purpose, per endpoint (key → reason).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NotCarried =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["GET /cluster/resources"] = new Dictionary<string, string>
            {
                ["id"] = "derived from type/node/vmid/storage, which are carried",
                ["cgroup-mode"] = "node cgroup version (PVE 7+), not shown",
            },
            ["GET /cluster/status"] = new Dictionary<string, string>
            {
                ["id"] = "'cluster' or 'node/<name>', derived from the name",
                ["type"] = "cluster vs node entries become ClusterInfo and its Nodes",
            },
            ["GET /nodes"] = new Dictionary<string, string> { ["id"] = "'node/<name>', derived from node" },
            ["GET /nodes/{node}/tasks"] = new Dictionary<string, string>
            {
                ["pid"] = "encoded in the UPID (carried)",
                ["pstart"] = "encoded in the UPID (carried)",
                ["total"] = "paging total of the node's task archive; Moxxie lists the newest 'limit' entries",
            },
            ["GET /nodes/{node}/tasks/{upid}/status"] = new Dictionary<string, string>
            {
                ["pid"] = "encoded in the UPID (carried)",
                ["pstart"] = "encoded in the UPID (carried)",
                ["status"] = "running|stopped is PveTask.Running (exitstatus carried)",
            },
            ["GET /nodes/{node}/status"] = new Dictionary<string, string> { ["user_hz"] = "kernel clock ticks, not shown" },
            ["GET /nodes/{node}/network"] = new Dictionary<string, string> { ["bridge_stp"] = "legacy ifupdown option, PVE's GUI does not show it either" },
            ["GET /nodes/{node}/qemu/{vmid}/status/current"] = new Dictionary<string, string>
            {
                ["blockstat"] = "per-drive QEMU block statistics (disk I/O comes from diskread/diskwrite and rrddata)",
                ["ballooninfo"] = "QEMU balloon driver internals (mem/maxmem/balloon are carried)",
                ["proxmox-support"] = "QEMU feature flags of the running binary",
                ["shares"] = "memory shares (ballooning weight), not shown",
                ["freemem"] = "guest-reported free memory, part of ballooninfo",
                ["nics"] = "per-tap counters (netin/netout carried)",
            },
            ["GET /nodes/{node}/qemu/{vmid}/snapshot"] = new Dictionary<string, string> { ["digest"] = "config digest of the 'current' pseudo entry" },
            ["POST /access/ticket"] = new Dictionary<string, string>
            {
                ["ticket"] = "secret: kept inside the client, never in a domain object",
                ["CSRFPreventionToken"] = "secret: kept inside the client, never in a domain object",
            },
        };

    /// <summary>Recorded keys never compared: volatile or secret values with no meaning for a console.</summary>
    private static readonly Dictionary<string, string> Everywhere = new(StringComparer.Ordinal)
    {
    };

    private static readonly JsonSerializerOptions DomainJson = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        o.Converters.Add(new UnixSeconds());
        return o;
    }

    public static JsonNode? ToJson(object? domain) => JsonSerializer.SerializeToNode(domain, domain?.GetType() ?? typeof(object), DomainJson);

    /// <summary>Problems found (empty = nothing lost).</summary>
    public static List<string> Check(RecordedFixture f, object? domain)
    {
        var problems = new List<string>();
        var ignored = new Dictionary<string, string>(Everywhere, StringComparer.Ordinal);
        if (NotCarried.TryGetValue(f.Endpoint, out var more)) foreach (var (k, v) in more) ignored[k] = v;
        var tree = ToJson(domain);
        var candidates = Objects(tree).Select(o => (Node: o, Values: Leaves(o).ToHashSet(StringComparer.Ordinal))).ToList();
        var all = Leaves(tree).ToHashSet(StringComparer.Ordinal);

        switch (f.Data)
        {
            case JsonArray items:
                var index = 0;
                foreach (var item in items)
                {
                    var wanted = RecordedLeaves(item, null, ignored).ToList();
                    var best = candidates.Select(c => (c.Node, Missing: wanted.Where(w => !Present(w, c.Values)).ToList()))
                        .OrderBy(c => c.Missing.Count).FirstOrDefault();
                    if (best.Missing is null || best.Missing.Count > 0)
                        problems.Add($"item {index}: {Describe(best.Missing ?? wanted)}");
                    index++;
                }
                break;
            case JsonObject o:
                var lost = RecordedLeaves(o, null, ignored).Where(w => !Present(w, all)).ToList();
                if (lost.Count > 0) problems.Add(Describe(lost));
                break;
            case JsonValue v:
                if (Norm(v) is { } s && !Present(("data", s), all)) problems.Add($"data '{s}' lost");
                break;
        }

        foreach (var (key, value) in f.Body)
        {
            if (key is "data" or "errors" || ignored.ContainsKey(key)) continue;
            var lost = RecordedLeaves(value, key, ignored).Where(w => !Present(w, all)).ToList();
            if (lost.Count > 0) problems.Add($"envelope: {Describe(lost)}");
        }
        return problems;
    }

    private static string Describe(IEnumerable<(string Key, string Value)> lost) =>
        string.Join(", ", lost.Select(l => $"{l.Key}={Short(l.Value)}")) + " not carried";

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private static bool Present((string Key, string Value) leaf, HashSet<string> values)
    {
        var value = leaf.Value;
        if (values.Contains(value)) return true;
        // A flag set to 1 (e.g. a privilege in the ticket's "cap" map) is carried when its name is.
        if (value == "1" && values.Contains(leaf.Key)) return true;
        // PVE lists in one string ("images,rootdir", "db;prod", "eth0 eth1"): every part must be carried.
        foreach (var separators in new[] { new[] { ';', ',' }, new[] { ' ' } })
        {
            var parts = value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length > 1 && parts.All(p => values.Contains(Norm(p) ?? p))) return true;
        }
        return false;
    }

    /// <summary>Scalars of a recorded value with the key they sit under (array elements take their array's key).</summary>
    private static IEnumerable<(string Key, string Value)> RecordedLeaves(JsonNode? node, string? key, IReadOnlyDictionary<string, string> ignored)
    {
        if (key is not null && ignored.ContainsKey(key)) yield break;
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                    foreach (var leaf in RecordedLeaves(v, k, ignored)) yield return leaf;
                break;
            case JsonArray a:
                foreach (var v in a)
                    foreach (var leaf in RecordedLeaves(v, key, ignored)) yield return leaf;
                break;
            case JsonValue v when Norm(v) is { } s:
                yield return (key ?? "data", s);
                break;
        }
    }

    private static IEnumerable<JsonObject> Objects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, v) in o)
                    foreach (var child in Objects(v)) yield return child;
                break;
            case JsonArray a:
                foreach (var v in a)
                    foreach (var child in Objects(v)) yield return child;
                break;
        }
    }

    /// <summary>Every scalar under a domain node, normalised; dictionary keys count too (e.g. capability names).</summary>
    private static IEnumerable<string> Leaves(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (k, v) in o)
                {
                    yield return k;
                    foreach (var leaf in Leaves(v)) yield return leaf;
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                    foreach (var leaf in Leaves(v)) yield return leaf;
                break;
            case JsonValue v when Norm(v) is { } s:
                yield return s;
                break;
        }
    }

    private static string? Norm(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.String => Norm(v.GetValue<string>()),
        JsonValueKind.Number => Number(v.GetValue<double>()),
        JsonValueKind.True => "1",
        JsonValueKind.False => "0",
        _ => null,
    };

    /// <summary>Empty strings carry nothing; numeric strings compare as numbers ("3400.000" = 3400).</summary>
    private static string? Norm(string s) =>
        s.Length == 0 ? null
        : s.All(c => char.IsDigit(c) || c is '.' or '-' or '+' or 'e' or 'E') && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? Number(d) : s;

    private static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private sealed class UnixSeconds : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64());

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeSeconds());
    }
}
