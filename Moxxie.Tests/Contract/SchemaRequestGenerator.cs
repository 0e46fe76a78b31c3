using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Moxxie.Simulator.Schema;

namespace Moxxie.Tests.Contract;

/// <summary>One generated request parameter violation: the parameter, its value (null = left out) and the message
/// PVE::JSONSchema (pve-common src/PVE/JSONSchema.pm check_prop / check_object / check_format) gives for it.</summary>
public sealed record ParamCase(string Kind, string Param, string? Value, string Expected)
{
    public override string ToString() => $"{Kind} {Param}={Value ?? "(missing)"}";
}

/// <summary>
/// Builds requests from a method's parameter schema (the raw JSON of PVE's schema dump, independent of the simulator's
/// compiled validator): per-parameter invalid values with the message PVE gives, and the values of a minimal valid request.
/// The expected messages are written here from pve-common's JSONSchema.pm (check order: type, format, pattern, maxLength,
/// minLength, minimum/maximum, enum; the first failure is the only one reported for a parameter).
/// </summary>
public static class SchemaRequestGenerator
{
    public const string Missing = "property is missing and it is not optional";
    public const string NotDefined = "property is not defined in schema and the schema does not allow additional properties";
    public const string ExtraParam = "moxxie-contract-extra";

    /// <summary>
    /// Named formats with a value they refuse and PVE's die message (pve-common JSONSchema.pm, pve-storage, pve-access-control).
    /// Formats not listed (hash formats the dump only names, e.g. pve-qm-ide) get no format case.
    /// </summary>
    private static readonly Dictionary<string, (string Bad, string Message)> BadFormats = new(StringComparer.Ordinal)
    {
        ["pve-vmid"] = ("42", "value does not look like a valid VM ID\n"),
        ["pve-node"] = ("-bad", "value does not look like a valid node name\n"),
        ["pve-storage-id"] = ("bad!", "storage ID 'bad!' contains illegal characters\n"),
        ["pve-configid"] = ("Bad!", "invalid configuration ID 'Bad!'\n"),
        ["pve-iface"] = ("1bad", "invalid network interface name '1bad'\n"),
        ["ipv4"] = ("999.1.1.1", "value does not look like a valid IPv4 address\n"),
        ["ipv6"] = ("zz::1", "value does not look like a valid IPv6 address\n"),
        ["ipv4mask"] = ("255.0.255.0", "value does not look like a valid IP netmask\n"),
        ["CIDRv4"] = ("10.0.0.1/99", "value does not look like a valid IPv4 CIDR network\n"),
        ["CIDRv6"] = ("zz::/64", "value does not look like a valid IPv6 CIDR network\n"),
        ["CIDR"] = ("10.0.0.1/99", "value does not look like a valid CIDR network\n"),
        ["dns-name"] = ("-bad-", "value does not look like a valid DNS name\n"),
        ["pve-poolid"] = ("bad pool!", "pool name 'bad pool!' contains invalid characters\n"),
        ["pve-realm"] = ("1", "value '1' does not look like a valid realm\n"),
        ["pve-tag"] = ("bad!", "invalid characters in tag\n"),
        ["pve-task-status-type"] = ("bogus", "invalid status 'bogus'\n"),
        ["pve-storage-content"] = ("bogus", "invalid content type 'bogus'\n"),
        ["pve-volume-id"] = ("novolume", "unable to parse volume ID 'novolume'\n"),
        ["pve-startup-order"] = ("bogus", "unable to parse startup options\n"),
        ["urlencoded"] = ("a b", "invalid urlencoded string: a b\n"),
    };

    private static readonly string[] PatternMisses = ["!", " ", "-", "a b!", "\u00e9\u00e9", "0"];

    /// <summary>The parameter schemas of a method (numbered families "net[n]" as their first member "net0").</summary>
    public static IReadOnlyList<(string Name, JsonObject Schema)> Parameters(JsonObject info) =>
        info["parameters"]?["properties"] is JsonObject props
            ? [.. props.Where(p => p.Value is JsonObject).Select(p => (SchemaCompiler.FamilyOf(p.Key) is { } f ? f + "0" : p.Key, (JsonObject)p.Value!))
                .OrderBy(p => p.Item1, StringComparer.Ordinal)]
            : [];

    public static bool IsOptional(JsonObject s) => Truthy(s["optional"]) || s.ContainsKey("alias") || s.ContainsKey("group");

    /// <summary>Invalid cases for one method, at most <paramref name="cap"/>, spread over the kinds of violation.</summary>
    public static IReadOnlyList<ParamCase> InvalidCases(JsonObject info, IReadOnlySet<string> pathParams, string? skipParam, int cap)
    {
        var byKind = new Dictionary<string, List<ParamCase>>(StringComparer.Ordinal);
        void Add(ParamCase c)
        {
            if (!byKind.TryGetValue(c.Kind, out var list)) byKind[c.Kind] = list = [];
            list.Add(c);
        }

        Add(new ParamCase("unknown-parameter", ExtraParam, "1", NotDefined));
        foreach (var (name, s) in Parameters(info))
        {
            if (name == skipParam || s.ContainsKey("oneOf") || s.ContainsKey("type-property") || s.ContainsKey("alias")) continue;
            if (!IsOptional(s) && !pathParams.Contains(name)) Add(new ParamCase("missing-required", name, null, Missing));
            foreach (var c in Violations(name, s)) Add(c);
        }

        // Round-robin over the kinds so every kind of violation is tried before any kind repeats.
        var result = new List<ParamCase>();
        var queues = byKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new Queue<ParamCase>(k.Value)).ToList();
        while (result.Count < cap && queues.Any(q => q.Count > 0))
            foreach (var q in queues.Where(q => q.Count > 0))
                if (result.Count < cap) result.Add(q.Dequeue());
        return result;
    }

    private static IEnumerable<ParamCase> Violations(string name, JsonObject s)
    {
        var type = s["type"] is JsonValue tv ? tv.GetValue<string>() : null;
        var format = s["format"];
        var namedFormat = format is JsonValue fv ? fv.GetValue<string>() : null;
        var pattern = s["pattern"]?.GetValue<string>();
        var enumValues = s["enum"] is JsonArray e ? e.Select(x => x is JsonValue xv ? SchemaNode.ScalarText(xv) : "").ToArray() : null;

        switch (type)
        {
            case "integer":
                yield return new ParamCase("wrong-type", name, "abc", "type check ('integer') failed - got 'abc'");
                break;
            case "number":
                yield return new ParamCase("wrong-type", name, "abc", "type check ('number') failed - got 'abc'");
                break;
            case "boolean":
                yield return new ParamCase("wrong-type", name, "maybe", "type check ('boolean') failed - got 'maybe'");
                break;
        }
        if (type is "integer" or "number" or "boolean")
        {
            if (namedFormat is not null && BadFormats.TryGetValue(namedFormat, out var badNumber))
                yield return new ParamCase("bad-format", name, badNumber.Bad, "invalid format - " + badNumber.Message);
            else if (format is null && pattern is null && type != "boolean")
            {
                // Range checks apply to numbers only, after format/pattern/length checks (none here).
                if (Number(s["minimum"]) is { } min)
                    yield return new ParamCase("below-minimum", name, Perl(min - 1), $"value must have a minimum value of {Perl(min)}");
                if (Number(s["maximum"]) is { } max)
                    yield return new ParamCase("above-maximum", name, Perl(max + 1), $"value must have a maximum value of {Perl(max)}");
            }
            yield break;
        }

        if (format is JsonObject)
        {
            yield return new ParamCase("bad-format", name, "moxxie-bogus=1",
                "invalid format - invalid key in comma-separated list property: moxxie-bogus\n");
            yield break;
        }
        if (namedFormat is not null)
        {
            var baseFormat = namedFormat.EndsWith("-list", StringComparison.Ordinal) ? namedFormat[..^5]
                : namedFormat.EndsWith("-opt", StringComparison.Ordinal) ? namedFormat[..^4] : namedFormat;
            if (BadFormats.TryGetValue(namedFormat, out var bad) || BadFormats.TryGetValue(baseFormat, out bad))
                yield return new ParamCase("bad-format", name, bad.Bad, "invalid format - " + bad.Message);
            yield break;   // with a format, pattern/length/enum messages would depend on the format's verdict first
        }
        if (pattern is not null)
        {
            var re = SchemaCompiler.CompilePattern(pattern);
            if (re is not null && PatternMisses.FirstOrDefault(v => !re.IsMatch(v)) is { } miss)
                yield return new ParamCase("pattern", name, miss, "value does not match the regex pattern");
            if (Number(s["maxLength"]) is { } maxLen && re is not null && Filler(re, (int)maxLen + 1) is { } longValue)
                yield return new ParamCase("too-long", name, longValue, $"value may only be {Perl(maxLen)} characters long");
            yield break;
        }
        if (Number(s["maxLength"]) is { } max2 && max2 < 70000 && enumValues is null)
            yield return new ParamCase("too-long", name, new string('a', (int)max2 + 1), $"value may only be {Perl(max2)} characters long");
        if (Number(s["minLength"]) is { } min2 && min2 > 0 && enumValues is null)
            yield return new ParamCase("too-short", name, new string('a', (int)min2 - 1), $"value must be at least {Perl(min2)} characters long");
        if (enumValues is not null)
            yield return new ParamCase("bad-enum", name, "moxxie-bogus",
                $"value 'moxxie-bogus' does not have a value in the enumeration '{string.Join(", ", enumValues)}'");
    }

    /// <summary>A string of the given length that matches the pattern (for maxLength cases), or null.</summary>
    private static string? Filler(Regex re, int length)
    {
        foreach (var c in "a1_")
        {
            var v = new string(c, length);
            if (re.IsMatch(v)) return v;
        }
        return null;
    }

    /// <summary>A valid value for a parameter from its schema alone (enum, type, range, pattern); null when none is obvious.</summary>
    public static string? ValidValue(JsonObject s)
    {
        if (s["enum"] is JsonArray e && e.Count > 0 && e[0] is JsonValue ev) return SchemaNode.ScalarText(ev);
        var type = s["type"] is JsonValue tv ? tv.GetValue<string>() : null;
        switch (type)
        {
            case "boolean":
                return "0";
            case "integer" or "number":
                var min = Number(s["minimum"]);
                var max = Number(s["maximum"]);
                var v = min ?? 1;
                if (max is { } hi && v > hi) v = hi;
                return Perl(v);
        }
        if (s["pattern"]?.GetValue<string>() is { } pattern && SchemaCompiler.CompilePattern(pattern) is { } re)
            return new[] { "moxxie", "moxxie1", "1", "a", "+1G", "1G" }.FirstOrDefault(re.IsMatch);
        return s["format"] is null ? "moxxie" : null;
    }

    /// <summary>True for a 400 parameter error message that comes from the schema check (not from a handler's own checks).</summary>
    public static bool IsSchemaMessage(string message) =>
        message is Missing or NotDefined or "value does not match the regex pattern"
        || message.StartsWith("type check ('", StringComparison.Ordinal)
        || message.StartsWith("invalid format - ", StringComparison.Ordinal)
        || message.StartsWith("value may only be ", StringComparison.Ordinal)
        || message.StartsWith("value must be at least ", StringComparison.Ordinal)
        || message.StartsWith("value must have a m", StringComparison.Ordinal)
        || message.StartsWith("missing property - ", StringComparison.Ordinal)
        || message.Contains("does not have a value in the enumeration", StringComparison.Ordinal);

    /// <summary>A number as Perl prints it ("%.15g": 16, 0.5, 1e+16).</summary>
    public static string Perl(double d)
    {
        if (d == Math.Floor(d) && Math.Abs(d) < 1e15) return ((long)d).ToString(CultureInfo.InvariantCulture);
        var g = d.ToString("G15", CultureInfo.InvariantCulture);
        var m = Regex.Match(g, @"^(.*)E([+-])(\d+)$");
        return m.Success ? $"{m.Groups[1].Value}e{m.Groups[2].Value}{m.Groups[3].Value.PadLeft(2, '0')}" : g;
    }

    private static double? Number(JsonNode? n) => n switch
    {
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String
            && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static bool Truthy(JsonNode? n) => n switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.GetValue<double>() != 0,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>() is not ("" or "0"),
        _ => false,
    };
}
