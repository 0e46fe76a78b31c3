using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Moxxie.Simulator.Schema;

/// <summary>
/// One compiled PVE::JSONSchema schema (a parameter, a return value, a property-string key). Compiled once from the
/// embedded schema subset; checking follows pve-common src/PVE/JSONSchema.pm check_prop/check_object/check_type,
/// including its messages ("type check ('integer') failed - got 'x'", "value must have a minimum value of 100", …).
/// </summary>
internal sealed class SchemaNode
{
    public string[]? Types { get; init; }                 // null = no type (anything goes)
    public bool Optional { get; init; }
    public bool IsAlias { get; init; }                    // alias/group keys are never "missing"
    public string? Alias { get; init; }
    public string? KeyAlias { get; init; }
    public bool DefaultKey { get; init; }
    public double? Minimum { get; init; }
    public double? Maximum { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public string[]? Enum { get; init; }
    public string? PatternSource { get; init; }
    public Regex? Pattern { get; init; }
    public string? FormatName { get; init; }               // named format ("pve-node", "pve-configid-list", …)
    public PveFormat? Format { get; init; }                // null = no format or an unchecked one
    public IReadOnlyDictionary<string, SchemaNode>? PropertyStringKeys { get; init; }  // format given as a dict
    public IReadOnlyDictionary<string, SchemaNode>? Properties { get; init; }
    public bool AdditionalPropertiesDefined { get; init; } // additionalProperties present
    public bool AdditionalPropertiesAllowed { get; init; } // its truth value
    public SchemaNode? AdditionalSchema { get; init; }     // additionalProperties given as a schema
    public SchemaNode? Items { get; init; }
    public string? Requires { get; init; }
    public SchemaNode[]? OneOf { get; init; }
    public string? TypeProperty { get; init; }
    public string[]? InstanceTypes { get; init; }

    public bool IsType(string t) => Types is { Length: 1 } && Types[0] == t;

    // ---- check_prop ------------------------------------------------------------------------------------------

    /// <summary>check_prop for a request parameter (always a scalar string on the wire).</summary>
    public void CheckScalar(string value, string path, ErrorSink errors, string? instanceType = null)
    {
        if (!CheckVariants(value, null, path, errors, instanceType)) return;
        if (!CheckType(path, value, errors)) return;
        CheckScalarConstraints(value, path, errors);
    }

    /// <summary>check_prop for a JSON value (response data, or request values given as JSON).</summary>
    public void Check(JsonNode? value, string path, ErrorSink errors, string? instanceType = null)
    {
        if (value is JsonValue v && v.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            CheckScalar(ScalarText(v), path, errors, instanceType);
            return;
        }
        if (value is null)
        {
            CheckMissing(path, errors, instanceType);
            return;
        }
        if (!CheckVariants(null, value, path, errors, instanceType)) return;
        if (value is JsonValue)   // JSON true/false: a JSON::PP::Boolean reference in Perl
        {
            if (Types is null || Types.Contains("any") || Types.Contains("boolean")) return;
            errors.Add(path, $"type check ('{string.Join('|', Types)}') failed - got JSON::PP::Boolean");
            return;
        }
        if (value is JsonArray array)
        {
            if (Types is not null && !Types.Contains("array") && !Types.Contains("any"))
            {
                errors.Add(path, $"type check ('{string.Join('|', Types)}') failed" + (Types.Length == 1 && Types[0] is "object" or "array" ? "" : " - got ARRAY"));
                return;
            }
            if (Items is null) return;
            for (var i = 0; i < array.Count; i++) Items.Check(array[i], $"{path}[{i}]", errors);
            return;
        }
        var obj = (JsonObject)value;
        if (Types is not null && !Types.Contains("object") && !Types.Contains("any"))
        {
            errors.Add(path, $"type check ('{string.Join('|', Types)}') failed" + (Types.Length == 1 && Types[0] is "array" ? "" : " - got HASH"));
            return;
        }
        if (Properties is not null || AdditionalPropertiesAllowed || AdditionalSchema is not null)
            CheckObject(path, Properties ?? Empty, obj, this, errors);
    }

    /// <summary>oneOf handling of check_prop; returns false when nothing more is to be checked.</summary>
    private bool CheckVariants(string? scalar, JsonNode? node, string path, ErrorSink errors, string? instanceType)
    {
        if (OneOf is null) return true;
        if (TypeProperty is not null)
        {
            if (instanceType is null) return false;   // treated as optional without a type
            foreach (var inner in OneOf)
            {
                if (inner.InstanceTypes is null || !inner.InstanceTypes.Contains(instanceType)) continue;
                if (scalar is not null) inner.CheckScalar(scalar, path, errors);
                else inner.Check(node, path, errors);
            }
            return false;
        }
        var collected = new ErrorSink { SkipFormats = errors.SkipFormats };
        for (var i = 0; i < OneOf.Length; i++)
        {
            var inner = new ErrorSink { SkipFormats = errors.SkipFormats };
            if (scalar is not null) OneOf[i].CheckScalar(scalar, $"{path}.oneOf[{i}]", inner);
            else OneOf[i].Check(node, $"{path}.oneOf[{i}]", inner);
            if (!inner.Any) return false;
            foreach (var (k, m) in inner.Items) collected.Add(k, m);
        }
        foreach (var (k, m) in collected.Items) errors.Add(k, m);
        return false;
    }

    private bool CheckType(string path, string value, ErrorSink errors)
    {
        if (Types is null) return true;
        if (Types.Length > 1)
        {
            foreach (var t in Types)
                if (ScalarTypeOk(t, value)) return true;
            errors.Add(path, $"type check ('{string.Join('|', Types)}') failed");
            return false;
        }
        var type = Types[0];
        if (type is "array" or "object" or "coderef")
        {
            errors.Add(path, $"type check ('{type}') failed");
            return false;
        }
        if (type == "null")
        {
            errors.Add(path, $"type check ('{type}') failed - value is not null");
            return false;
        }
        if (ScalarTypeOk(type, value)) return true;
        errors.Add(path, $"type check ('{type}') failed - got '{value}'");
        return false;
    }

    private static bool ScalarTypeOk(string type, string value) => type switch
    {
        "boolean" => value is "1" or "0",
        "integer" => IsInteger(value),
        "number" => IsNumber(value),
        "array" or "object" or "coderef" or "null" => false,
        _ => true,
    };

    private void CheckScalarConstraints(string value, string path, ErrorSink errors)
    {
        if (!errors.SkipFormats && CheckFormat(value, path) is { } formatError)
        {
            errors.Add(path, "invalid format - " + formatError);
            return;
        }
        if (Pattern is not null && !Pattern.IsMatch(value))
        {
            errors.Add(path, "value does not match the regex pattern");
            return;
        }
        if (MaxLength is { } max && value.Length > max)
        {
            errors.Add(path, $"value may only be {max} characters long");
            return;
        }
        if (MinLength is { } min && value.Length < min)
        {
            errors.Add(path, $"value must be at least {min} characters long");
            return;
        }
        if ((Maximum is not null || Minimum is not null) && IsNumber(value))
        {
            var n = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (Maximum is { } hi && n > hi)
            {
                errors.Add(path, $"value must have a maximum value of {Num(hi)}");
                return;
            }
            if (Minimum is { } lo && n < lo)
            {
                errors.Add(path, $"value must have a minimum value of {Num(lo)}");
                return;
            }
        }
        if (Enum is not null && Array.IndexOf(Enum, value) < 0)
            errors.Add(path, $"value '{value}' does not have a value in the enumeration '{string.Join(", ", Enum)}'");
    }

    private string? CheckFormat(string value, string path) =>
        PropertyStringKeys is not null ? PropertyString.Check(PropertyStringKeys, value, path) : Format?.Invoke(value, path);

    // ---- check_object ----------------------------------------------------------------------------------------

    private static readonly Dictionary<string, SchemaNode> Empty = [];

    /// <summary>check_object over a JSON object (response data, nested parameter values).</summary>
    public static void CheckObject(string path, IReadOnlyDictionary<string, SchemaNode> schema, JsonObject value, SchemaNode? owner, ErrorSink errors)
    {
        foreach (var (k, s) in schema)
        {
            var instanceType = InstanceType(schema, k, value);
            s.Check(value[k], Join(path, k), errors, instanceType);
        }
        foreach (var (k, v) in value)
        {
            var newPath = Join(path, k);
            if (schema.TryGetValue(k, out var sub))
            {
                if (sub.Requires is { } requires && !value.ContainsKey(requires))
                    errors.Add(Join(path, requires), $"missing property - '{newPath}' requires this property");
                if (MatchedType(sub, InstanceType(schema, k, value))) continue;
            }
            if (owner is { AdditionalPropertiesDefined: true, AdditionalPropertiesAllowed: false, AdditionalSchema: null })
            {
                errors.Add(newPath, "property is not defined in schema and the schema does not allow additional properties");
                continue;
            }
            owner?.AdditionalSchema?.Check(v, newPath, errors);
        }
    }

    /// <summary>check_object over request parameters: additionalProperties 0, every value a string.</summary>
    public static void CheckParameters(IReadOnlyDictionary<string, SchemaNode> schema, IReadOnlyDictionary<string, string> value, ErrorSink errors,
        bool additionalAllowed = false)
    {
        foreach (var (k, s) in schema)
        {
            var instanceType = s.TypeProperty is { } tp ? value.GetValueOrDefault(tp) : null;
            if (value.TryGetValue(k, out var v)) s.CheckScalar(v, k, errors, instanceType);
            else s.CheckMissing(k, errors, instanceType);
        }
        foreach (var (k, _) in value)
        {
            if (schema.TryGetValue(k, out var sub))
            {
                if (sub.Requires is { } requires && !value.ContainsKey(requires))
                    errors.Add(requires, $"missing property - '{k}' requires this property");
                var instanceType = sub.TypeProperty is { } tp ? value.GetValueOrDefault(tp) : null;
                if (MatchedType(sub, instanceType)) continue;
            }
            if (additionalAllowed) continue;
            errors.Add(k, "property is not defined in schema and the schema does not allow additional properties");
        }
    }

    /// <summary>The "value undefined" branch of check_prop.</summary>
    public void CheckMissing(string path, ErrorSink errors, string? instanceType = null)
    {
        if (OneOf is not null && TypeProperty is not null)
        {
            var optional = true;
            if (instanceType is not null)
                foreach (var inner in OneOf)
                    if (inner.InstanceTypes is not null && inner.InstanceTypes.Contains(instanceType)) optional = inner.Optional;
            if (!optional && !Optional && !IsAlias) errors.Add(path, "property is missing and it is not optional");
            return;
        }
        if (IsType("null")) return;
        if (!Optional && !IsAlias) errors.Add(path, "property is missing and it is not optional");
    }

    private static string? InstanceType(IReadOnlyDictionary<string, SchemaNode> schema, string key, JsonObject value) =>
        schema[key].TypeProperty is { } tp && value[tp] is JsonValue v ? ScalarText(v) : null;

    private static bool MatchedType(SchemaNode sub, string? instanceType)
    {
        if (sub.OneOf is null) return true;
        foreach (var alt in sub.OneOf)
        {
            if (alt.InstanceTypes is not null && (instanceType is null || !alt.InstanceTypes.Contains(instanceType))) continue;
            return true;
        }
        return false;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string ScalarText(JsonValue v) => v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        System.Text.Json.JsonValueKind.True => "1",
        System.Text.Json.JsonValueKind.False => "0",
        _ => v.ToJsonString(),
    };

    public static bool IsInteger(string value)
    {
        var i = 0;
        if (value.Length > 0 && value[0] is '+' or '-') i++;
        if (i >= value.Length) return false;
        for (; i < value.Length; i++)
            if (value[i] is < '0' or > '9') return false;
        return true;
    }

    public static bool IsNumber(string value) => NumberRegex.IsMatch(value);

    private static readonly Regex NumberRegex = new(@"^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$", RegexOptions.CultureInvariant);

    private static string Num(double d) => d.ToString("0.###############", CultureInfo.InvariantCulture);
}
