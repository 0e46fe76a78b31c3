using System.Globalization;
using System.Text.Json;

namespace Moxxie.Web.Api;

/// <summary>Reads a JSON object field by field, collecting a per-field message for each wrong type (so a bad body answers
/// VALIDATION_ERROR with details, like any other invalid input). Field names in messages are the JSON names, dotted for
/// nested objects ("cloudInit.user").</summary>
internal sealed class JsonBody(JsonElement element, Dictionary<string, string> errors, string prefix = "")
{
    public Dictionary<string, string> Errors => errors;

    public static JsonBody? Object(JsonElement element, Dictionary<string, string> errors)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            errors["body"] = "One VM per request: send a single JSON object (creating several VMs at once is not supported here).";
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = "A JSON object is required.";
            return null;
        }
        return new JsonBody(element, errors);
    }

    private JsonElement? Get(string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind is not JsonValueKind.Null and not JsonValueKind.Undefined ? v : null;

    private string Field(string name) => prefix + name;

    public bool Has(string name) => Get(name) is not null;

    public int? Int(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)) return s;
        errors.TryAdd(Field(name), "Must be a whole number.");
        return null;
    }

    public string? String(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String) return v.GetString();
        errors.TryAdd(Field(name), "Must be a string.");
        return null;
    }

    public bool? Bool(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        errors.TryAdd(Field(name), "Must be true or false.");
        return null;
    }

    /// <summary>A string or an array of strings.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            return [.. v.EnumerateArray().Select(e => e.GetString()!)];
        errors.TryAdd(Field(name), "Must be a string or an array of strings.");
        return null;
    }

    /// <summary>A whole number or an array of whole numbers.</summary>
    public IReadOnlyList<int>? Ints(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var one)) return [one];
        if (v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _)))
            return [.. v.EnumerateArray().Select(e => e.GetInt32())];
        errors.TryAdd(Field(name), "Must be a whole number or an array of whole numbers.");
        return null;
    }

    public JsonBody? Child(string name)
    {
        if (Get(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Object) return new JsonBody(v, errors, Field(name) + ".");
        errors.TryAdd(Field(name), "Must be an object.");
        return null;
    }
}
