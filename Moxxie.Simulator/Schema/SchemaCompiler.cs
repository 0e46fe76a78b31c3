using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Moxxie.Simulator.Schema;

/// <summary>Turns the JSON of a PVE schema (as pvesh/apidoc dump it) into compiled SchemaNodes, once.</summary>
internal static partial class SchemaCompiler
{
    /// <summary>
    /// The API dump folds numbered keys into one "net[n]" entry; PVE's real schema has net0…net31. Counts from
    /// qemu-server (MAX_NETS 32, scsi 31, ide 4, sata 6, virtio 16, unused 256, hostpci 16, usb 14, serial 4,
    /// parallel 3, numa 8, virtiofs 10), pve-container (net 32, mp 256, dev 256, unused 256), corosync links 8,
    /// ACME domains 5.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> FamilyCounts = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["net"] = 32, ["ipconfig"] = 32, ["scsi"] = 31, ["ide"] = 4, ["sata"] = 6, ["virtio"] = 16, ["unused"] = 256,
        ["hostpci"] = 16, ["usb"] = 14, ["serial"] = 4, ["parallel"] = 3, ["numa"] = 8, ["virtiofs"] = 10,
        ["mp"] = 256, ["dev"] = 256, ["link"] = 8, ["acmedomain"] = 5,
    };

    /// <summary>Fallback for a numbered family missing from FamilyCounts (the contract test flags those).</summary>
    private const int UnknownFamilyCount = 256;

    public static SchemaNode Compile(JsonNode? node)
    {
        if (node is not JsonObject o) return new SchemaNode();
        string[]? types = o["type"] switch
        {
            JsonValue v => [v.GetValue<string>()],
            JsonArray a => [.. a.Select(x => x!.GetValue<string>())],
            _ => null,
        };
        var formatNode = o["format"];
        var additional = o["additionalProperties"];
        var patternSource = o["pattern"]?.GetValue<string>();
        return new SchemaNode
        {
            Types = types,
            Optional = Truthy(o["optional"]),
            IsAlias = o.ContainsKey("alias") || o.ContainsKey("group"),
            Alias = o["alias"]?.GetValue<string>(),
            KeyAlias = o["keyAlias"]?.GetValue<string>(),
            DefaultKey = Truthy(o["default_key"]),
            Minimum = Number(o["minimum"]),
            Maximum = Number(o["maximum"]),
            MinLength = (int?)Number(o["minLength"]),
            MaxLength = (int?)Number(o["maxLength"]),
            Enum = o["enum"] is JsonArray e ? [.. e.Select(x => x is JsonValue xv ? SchemaNode.ScalarText(xv) : x?.ToJsonString() ?? "")] : null,
            PatternSource = patternSource,
            Pattern = patternSource is null ? null : CompilePattern(patternSource),
            FormatName = formatNode is JsonValue fv ? fv.GetValue<string>() : null,
            Format = formatNode is JsonValue fn ? PveFormats.Resolve(fn.GetValue<string>()) : null,
            PropertyStringKeys = formatNode is JsonObject fo ? CompileProperties(fo, expandFamilies: false) : null,
            Properties = o["properties"] is JsonObject props ? CompileProperties(props, expandFamilies: true) : null,
            AdditionalPropertiesDefined = additional is not null,
            AdditionalPropertiesAllowed = additional is JsonObject || Truthy(additional),
            AdditionalSchema = additional is JsonObject ao ? Compile(ao) : null,
            Items = o["items"] is JsonObject items ? Compile(items) : null,
            Requires = o["requires"] is JsonValue rv ? rv.GetValue<string>() : null,
            OneOf = o["oneOf"] is JsonArray oneOf ? [.. oneOf.Select(Compile)] : null,
            TypeProperty = o["type-property"]?.GetValue<string>(),
            InstanceTypes = o["instance-types"] is JsonArray it ? [.. it.Select(x => x!.GetValue<string>())] : null,
        };
    }

    public static Dictionary<string, SchemaNode> CompileProperties(JsonObject props, bool expandFamilies)
    {
        var result = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
        foreach (var (name, value) in props)
        {
            var compiled = Compile(value);
            if (expandFamilies && FamilyOf(name) is { } family)
            {
                var count = FamilyCounts.GetValueOrDefault(family, UnknownFamilyCount);
                for (var i = 0; i < count; i++) result[family + i.ToString(CultureInfo.InvariantCulture)] = compiled;
            }
            else result[name] = compiled;
        }
        return result;
    }

    /// <summary>"net[n]" → "net"; null for ordinary names.</summary>
    public static string? FamilyOf(string name) =>
        name.EndsWith("[n]", StringComparison.Ordinal) && name.Length > 3 ? name[..^3] : null;

    /// <summary>
    /// A Perl pattern as PVE matches it: m/^$pattern$/. Stringified qr// objects ("(?^i:…)") become .NET inline
    /// groups. A pattern .NET cannot compile is left unchecked (none in PVE 9.1's schema).
    /// </summary>
    public static Regex? CompilePattern(string perl)
    {
        var source = PerlFlagsRegex().Replace(perl, m =>
            "(?" + new string([.. m.Groups[1].Value.Where(c => c is 'i' or 'm' or 's' or 'x')]) + ":");
        source = PerlUnderscoreEscapeRegex().Replace(source, "$1_");   // Perl allows \_, .NET does not
        try
        {
            return new Regex($"^(?:{source})$", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool Truthy(JsonNode? n) => n switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.GetValue<double>() != 0,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>() is not ("" or "0"),
        _ => false,
    };

    private static double? Number(JsonNode? n) => n switch
    {
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String
            && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\_")]
    private static partial Regex PerlUnderscoreEscapeRegex();

    [GeneratedRegex(@"\(\?\^([a-z]*):")]
    private static partial Regex PerlFlagsRegex();
}
