using System.Text.Json.Nodes;

namespace Moxxie.Simulator.Api;

/// <summary>What a handler sees: merged path/query/body parameters and who is calling.</summary>
internal sealed record ApiRequest(string Method, IReadOnlyDictionary<string, string> Params, AuthIdentity Identity)
{
    public string this[string name] => Params[name];
    public string? Get(string name) => Params.GetValueOrDefault(name);
    public int Vmid => int.Parse(Params["vmid"]);
    public string Node => Params["node"];
    public long Int(string name, long fallback) => Params.TryGetValue(name, out var v) ? long.Parse(v) : fallback;
    public bool Bool(string name) => Params.TryGetValue(name, out var v) && SimulatedCluster.ParamBool(v);
}

/// <summary>A handler's answer: the "data" member plus optional top-level siblings such as "total".</summary>
internal sealed record ApiResponse(JsonNode? Data, long? Total = null)
{
    /// <summary>Further top-level siblings of "data" (e.g. "changes" of GET /nodes/{node}/network).</summary>
    public JsonObject? Extra { get; init; }

    public static implicit operator ApiResponse(JsonNode? data) => new(data);
}

/// <summary>
/// One API method: HTTP method + path template with {placeholders} (PVE's names, e.g. nodes/{node}/qemu/{vmid}) and
/// its handler. Parameters come from the PVE schema (Schema/pve-api-schema.subset.json): the dispatcher validates
/// every call against them before the handler runs.
/// </summary>
internal sealed record ApiRoute(string Method, string Template, Func<ApiRequest, ApiResponse> Handler, bool RequiresAuth = true)
{
    private readonly string[] _segments = Template.Trim('/').Split('/');

    public bool IsNodeScoped => _segments.Length >= 2 && _segments[0] == "nodes" && _segments[1] == "{node}";

    /// <summary>Matches a relative path (segments) and returns the captured placeholders.</summary>
    public Dictionary<string, string>? Match(string[] segments)
    {
        if (segments.Length != _segments.Length) return null;
        var captured = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < segments.Length; i++)
        {
            var t = _segments[i];
            if (t.StartsWith('{'))
            {
                if (segments[i].Length == 0) return null;
                captured[t[1..^1]] = segments[i];
            }
            else if (!string.Equals(t, segments[i], StringComparison.Ordinal)) return null;
        }
        return captured;
    }
}
