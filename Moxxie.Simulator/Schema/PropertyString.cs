using System.Text;
using System.Text.RegularExpressions;

namespace Moxxie.Simulator.Schema;

/// <summary>
/// PVE::JSONSchema parse_property_string for formats given as a dict (net0, scsi0, memory, …): splits at commas,
/// resolves key=value, the default key, alias/keyAlias and boolean spellings, then checks every key with check_object
/// (additional properties refused, required keys enforced, each value type/format/enum/range-checked).
/// </summary>
internal static partial class PropertyString
{
    /// <summary>Returns PVE's die message (ending in a newline) for an invalid value, null when valid.</summary>
    public static string? Check(IReadOnlyDictionary<string, SchemaNode> format, string data, string path)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        string? defaultKey = null;
        foreach (var part in data.Split(','))
        {
            if (string.IsNullOrWhiteSpace(part)) continue;
            var eq = part.IndexOf('=');
            if (eq > 0 && eq < part.Length - 1)
            {
                var k = part[..eq];
                var v = part[(eq + 1)..];
                if (parsed.ContainsKey(k)) return $"duplicate key in comma-separated list property: {k}\n";
                format.TryGetValue(k, out var schema);
                if (schema?.Alias is { } alias)
                {
                    if (schema.KeyAlias is { } keyAlias)
                    {
                        if (parsed.ContainsKey(keyAlias)) return $"key alias '{keyAlias}' is already defined\n";
                        parsed[keyAlias] = k;
                    }
                    k = alias;
                    format.TryGetValue(k, out schema);
                }
                if (schema is null) return $"invalid key in comma-separated list property: {k}\n";
                if (schema.IsType("boolean")) v = ParseBoolean(v) ?? v;
                parsed[k] = v;
            }
            else if (eq < 0)
            {
                if (defaultKey is not null) return $"duplicate key in comma-separated list property: {defaultKey}\n";
                foreach (var (key, s) in format)
                {
                    if (!s.DefaultKey) continue;
                    defaultKey = key;
                    if (parsed.ContainsKey(key)) return $"duplicate key in comma-separated list property: {key}\n";
                    parsed[key] = part;
                    break;
                }
                if (defaultKey is null) return "value without key, but schema does not define a default key\n";
            }
            else
            {
                return "missing key in comma-separated list property\n";
            }
        }

        var errors = new ErrorSink();
        foreach (var (k, s) in format)
        {
            var p = path.Length == 0 ? k : $"{path}.{k}";
            if (parsed.TryGetValue(k, out var v)) s.CheckScalar(v, p, errors);
            else s.CheckMissing(p, errors);
        }
        foreach (var k in parsed.Keys)
            if (!format.ContainsKey(k))
                errors.Add(path.Length == 0 ? k : $"{path}.{k}", "property is not defined in schema and the schema does not allow additional properties");
        if (!errors.Any) return null;

        // PVE::Exception stringified: the message, then "<path>: <message>" per error.
        var sb = new StringBuilder("format error\n");
        foreach (var (k, m) in errors.Items) sb.Append(k).Append(": ").Append(m).Append('\n');
        return sb.ToString();
    }

    /// <summary>PVE::JSONSchema parse_boolean.</summary>
    public static string? ParseBoolean(string value) =>
        TrueRegex().IsMatch(value) ? "1" : FalseRegex().IsMatch(value) ? "0" : null;

    [GeneratedRegex("^(1|on|yes|true)$", RegexOptions.IgnoreCase)]
    private static partial Regex TrueRegex();

    [GeneratedRegex("^(0|off|no|false)$", RegexOptions.IgnoreCase)]
    private static partial Regex FalseRegex();
}
