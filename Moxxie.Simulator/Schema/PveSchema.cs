using System.Text.Json.Nodes;

namespace Moxxie.Simulator.Schema;

/// <summary>
/// The PVE API schema of the methods the simulator serves, compiled once: validates request parameters and
/// response data the way PVE::JSONSchema does. <see cref="Embedded"/> is the subset committed in
/// Schema/pve-api-schema.subset.json (generated from ../shared/proxmox/pve-api-schema.json, PVE 9.1; see README.md
/// beside it); contract tests may also load the full schema with <see cref="Parse"/>.
/// </summary>
public sealed class PveSchema
{
    public const string ResourceName = "Moxxie.Simulator.Schema.pve-api-schema.subset.json";

    private static readonly Lazy<PveSchema> EmbeddedSchema = new(LoadEmbedded);
    private readonly Dictionary<string, MethodSchema> _methods;

    private PveSchema(Dictionary<string, MethodSchema> methods) => _methods = methods;

    /// <summary>The committed subset (embedded resource).</summary>
    public static PveSchema Embedded => EmbeddedSchema.Value;

    /// <summary>"GET /nodes/{node}/qemu", … for every method in this schema.</summary>
    public IReadOnlyCollection<string> Methods => _methods.Keys;

    /// <summary>Reads either the subset file ({"methods":[…]}) or PVE's full tree dump ([{path, info, children}]).</summary>
    public static PveSchema Parse(string json)
    {
        var root = JsonNode.Parse(json);
        var methods = new Dictionary<string, MethodSchema>(StringComparer.Ordinal);
        foreach (var (method, path, info) in SchemaSubset.Enumerate(root))
            methods[Key(method, path)] = new MethodSchema(method, path, info);
        return new PveSchema(methods);
    }

    public bool Contains(string method, string path) => _methods.ContainsKey(Key(method, path));

    internal MethodSchema? Find(string method, string path) => _methods.GetValueOrDefault(Key(method, path));

    /// <summary>Errors (parameter → PVE's message) for a call's merged path/query/body parameters; empty when valid.</summary>
    public IReadOnlyDictionary<string, string> ValidateParameters(string method, string path, IReadOnlyDictionary<string, string> parameters) =>
        Require(method, path).ValidateParameters(parameters).Items;

    /// <summary>Errors (property path → message) for a method's "data"; empty when it conforms to "returns".</summary>
    public IReadOnlyDictionary<string, string> ValidateReturns(string method, string path, JsonNode? data) =>
        Require(method, path).ValidateReturns(data).Items;

    private MethodSchema Require(string method, string path) =>
        Find(method, path) ?? throw new KeyNotFoundException($"'{method} {path}' is not in the schema");

    internal static string Key(string method, string path) => $"{method.ToUpperInvariant()} /{path.Trim('/')}";

    private static PveSchema LoadEmbedded()
    {
        using var stream = typeof(PveSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}

/// <summary>One compiled API method: its parameters (additionalProperties 0) and its returns schema.</summary>
internal sealed class MethodSchema
{
    public MethodSchema(string method, string path, JsonObject info)
    {
        Method = method;
        Path = path;
        var parameters = info["parameters"] as JsonObject;
        Parameters = parameters?["properties"] is JsonObject props ? SchemaCompiler.CompileProperties(props, expandFamilies: true) : [];
        ParametersSchema = SchemaCompiler.Compile(parameters);
        Returns = info["returns"] is JsonObject returns ? SchemaCompiler.Compile(returns) : null;
    }

    public string Method { get; }
    public string Path { get; }
    public IReadOnlyDictionary<string, SchemaNode> Parameters { get; }
    public SchemaNode ParametersSchema { get; }
    public SchemaNode? Returns { get; }

    public ErrorSink ValidateParameters(IReadOnlyDictionary<string, string> values)
    {
        var errors = new ErrorSink();
        SchemaNode.CheckParameters(Parameters, values, errors, ParametersSchema.AdditionalPropertiesAllowed);
        return errors;
    }

    public ErrorSink ValidateReturns(JsonNode? data)
    {
        var errors = new ErrorSink { SkipFormats = true };
        Returns?.Check(data, "", errors);
        return errors;
    }
}
