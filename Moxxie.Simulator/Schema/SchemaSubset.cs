using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Moxxie.Simulator.Schema;

/// <summary>
/// Generates Schema/pve-api-schema.subset.json: the parameters and returns of exactly the methods the simulator serves,
/// cut from PVE's full schema dump (descriptions and other documentation-only keys dropped). Deterministic output
/// (sorted by path, then method) so regeneration after a rebase merges cleanly.
/// </summary>
internal static class SchemaSubset
{
    public const string RegenerateHint =
        "regenerate with: MOXXIE_REGEN_SCHEMA=1 dotnet test Moxxie.Tests --filter FullyQualifiedName~SchemaSubsetTests (then rebuild)";

    /// <summary>Keys that only document a schema; everything else is kept.</summary>
    private static readonly HashSet<string> DocumentationKeys =
        ["description", "verbose_description", "typetext", "format_description", "title", "renderer", "links", "default",
         "print_width", "completion"];

    public sealed record Result(string Json, IReadOnlyList<string> Missing);

    public static Result Generate(JsonNode fullSchema, IEnumerable<ServedRoute> routes)
    {
        var all = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (method, path, info) in Enumerate(fullSchema)) all[PveSchema.Key(method, path)] = info;

        var missing = new List<string>();
        var methods = new JsonArray();
        foreach (var route in routes.DistinctBy(r => PveSchema.Key(r.Method, r.Template))
                     .OrderBy(r => "/" + r.Template.Trim('/'), StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal))
        {
            var key = PveSchema.Key(route.Method, route.Template);
            if (!all.TryGetValue(key, out var info))
            {
                missing.Add(key);
                continue;
            }
            var entry = new JsonObject { ["method"] = route.Method.ToUpperInvariant(), ["path"] = "/" + route.Template.Trim('/') };
            if (info["parameters"] is JsonObject parameters) entry["parameters"] = StripSchema(parameters);
            if (info["returns"] is JsonObject returns) entry["returns"] = StripSchema(returns);
            methods.Add(entry);
        }
        var root = new JsonObject
        {
            ["generated"] = "from ../shared/proxmox/pve-api-schema.json (PVE 9.1) for the routes the simulator serves; do not edit - " + RegenerateHint,
            ["methods"] = methods,
        };
        var json = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        return new Result(json.Replace("\r\n", "\n", StringComparison.Ordinal), missing);
    }

    /// <summary>(method, path, info) of every method, from the subset file or from PVE's tree dump.</summary>
    public static IEnumerable<(string Method, string Path, JsonObject Info)> Enumerate(JsonNode? root)
    {
        if (root is JsonObject { } subset && subset["methods"] is JsonArray list)
        {
            foreach (var m in list.OfType<JsonObject>())
                yield return (m["method"]!.GetValue<string>(), m["path"]!.GetValue<string>(), m);
            yield break;
        }
        if (root is not JsonArray tree) yield break;
        var stack = new Stack<JsonObject>(tree.OfType<JsonObject>().Reverse());
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            var path = node["path"]?.GetValue<string>() ?? "";
            if (node["info"] is JsonObject info)
                foreach (var (method, m) in info)
                    if (m is JsonObject mo) yield return (method, path, mo);
            if (node["children"] is JsonArray children)
                foreach (var c in children.OfType<JsonObject>().Reverse()) stack.Push(c);
        }
    }

    /// <summary>A copy of a schema object without documentation keys; property maps and property-string formats keep every name.</summary>
    private static JsonObject StripSchema(JsonObject schema)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (DocumentationKeys.Contains(key)) continue;
            copy[key] = key switch
            {
                "properties" when value is JsonObject props => StripMap(props),
                "format" when value is JsonObject keys => StripMap(keys),
                "items" or "additionalProperties" or "requires" when value is JsonObject inner => StripSchema(inner),
                "oneOf" when value is JsonArray alternatives => new JsonArray([.. alternatives.Select(a => a is JsonObject ao ? StripSchema(ao) : a?.DeepClone())]),
                _ => value?.DeepClone(),
            };
        }
        return copy;
    }

    private static JsonObject StripMap(JsonObject map)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in map) copy[name] = value is JsonObject o ? StripSchema(o) : value?.DeepClone();
        return copy;
    }
}
