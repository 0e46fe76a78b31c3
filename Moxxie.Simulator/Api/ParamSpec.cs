using System.Text.RegularExpressions;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

internal enum ParamType { String, Integer, Boolean, Node, Enum, EnumList }

/// <summary>
/// One parameter of an API method, as the PVE schema declares it (type, optional, minimum/maximum, enum, maxLength,
/// format). Kept deliberately close to pve-api-schema.json so the table can later be generated from it.
/// </summary>
internal sealed partial record ParamSpec(
    string Name, ParamType Type, bool Optional = true, long? Minimum = null, long? Maximum = null,
    IReadOnlyList<string>? Values = null, int? MaxLength = null)
{
    public static ParamSpec Node { get; } = new("node", ParamType.Node, Optional: false);
    public static ParamSpec Vmid { get; } = new("vmid", ParamType.Integer, Optional: false, Minimum: 100, Maximum: 999_999_999);
    public static ParamSpec Upid { get; } = new("upid", ParamType.String, Optional: false);
    public static ParamSpec Bool(string name) => new(name, ParamType.Boolean);
    public static ParamSpec Int(string name, long? min = null, long? max = null) => new(name, ParamType.Integer, Minimum: min, Maximum: max);
    public static ParamSpec Str(string name, int? maxLength = null, bool optional = true) => new(name, ParamType.String, optional, MaxLength: maxLength);
    public static ParamSpec OneOf(string name, params string[] values) => new(name, ParamType.Enum, Values: values);

    /// <summary>Returns PVE's message for an invalid value, or null when the value is fine.</summary>
    public string? Check(string value)
    {
        switch (Type)
        {
            case ParamType.Integer:
                if (!IntegerRegex().IsMatch(value) || !long.TryParse(value, out var n))
                    return $"type check ('integer') failed - got '{value}'";
                if (Minimum is { } min && n < min) return $"value must have a minimum value of {min}";
                if (Maximum is { } max && n > max) return $"value must have a maximum value of {max}";
                return null;
            case ParamType.Boolean:
                return BooleanRegex().IsMatch(value) ? null : $"type check ('boolean') failed - got '{value}'";
            case ParamType.Node:
                return NodeRegex().IsMatch(value) ? null : "invalid format - value does not look like a valid node name";
            case ParamType.Enum:
                return Values!.Contains(value) ? null
                    : $"value '{value}' does not have a value in the enumeration '{string.Join(", ", Values!)}'";
            case ParamType.EnumList:
                foreach (var item in value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
                    if (!Values!.Contains(item))
                        return $"invalid format - value '{item}' does not have a value in the enumeration '{string.Join(", ", Values!)}'";
                return null;
            default:
                return MaxLength is { } len && value.Length > len ? $"value may only be {len} characters long" : null;
        }
    }

    /// <summary>Checks all parameters like PVE::JSONSchema::validate (additionalProperties => 0).</summary>
    public static void Validate(IReadOnlyList<ParamSpec> specs, IReadOnlyDictionary<string, string> values)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (!values.TryGetValue(spec.Name, out var v))
            {
                if (!spec.Optional) errors[spec.Name] = "property is missing and it is not optional";
                continue;
            }
            if (spec.Check(v) is { } message) errors[spec.Name] = message;
        }
        foreach (var name in values.Keys)
        {
            if (!specs.Any(s => s.Name == name))
                errors[name] = "property is not defined in schema and the schema does not allow additional properties";
        }
        if (errors.Count > 0) throw PveError.ParameterVerification(errors);
    }

    [GeneratedRegex(@"^[+-]?\d+$")]
    private static partial Regex IntegerRegex();

    [GeneratedRegex("^(1|0|true|false|yes|no|on|off)$", RegexOptions.IgnoreCase)]
    private static partial Regex BooleanRegex();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?|\d{1,3}(?:\.\d{1,3}){3})$")]
    private static partial Regex NodeRegex();
}
