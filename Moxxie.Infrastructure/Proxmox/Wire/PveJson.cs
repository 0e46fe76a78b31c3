using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moxxie.Infrastructure.Proxmox.Wire;

/// <summary>System.Text.Json settings tolerant of PVE's quirks: numbers as strings, "" for absent values, booleans as
/// 0/1/"1"/"", null anywhere, unknown and unordered keys. Wire DTOs use nullable properties only.</summary>
internal static class PveJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = true,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        o.Converters.Add(new FlexLong());
        o.Converters.Add(new FlexInt());
        o.Converters.Add(new FlexDouble());
        o.Converters.Add(new FlexBool());
        o.Converters.Add(new FlexString());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>A scalar rendered the way PVE would show it in a config file (numbers invariant, booleans 1/0).</summary>
    public static string? ScalarText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "1",
        JsonValueKind.False => "0",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.GetRawText(),
    };

    private static double? ReadDouble(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetDouble();
            case JsonTokenType.String:
                var s = reader.GetString();
                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
            case JsonTokenType.True:
                return 1;
            case JsonTokenType.False:
                return 0;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    private sealed class FlexLong : JsonConverter<long?>
    {
        public override bool HandleNull => true;

        public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var l)) return l;
            if (reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out l)) return l;
            return ReadDouble(ref reader) is { } d && double.IsFinite(d) ? (long)d : null;
        }

        public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
        {
            if (value is { } v) writer.WriteNumberValue(v); else writer.WriteNullValue();
        }
    }

    private sealed class FlexInt : JsonConverter<int?>
    {
        public override bool HandleNull => true;

        public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i)) return i;
            if (reader.TokenType == JsonTokenType.String && int.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out i)) return i;
            return ReadDouble(ref reader) is { } d && double.IsFinite(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;
        }

        public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
        {
            if (value is { } v) writer.WriteNumberValue(v); else writer.WriteNullValue();
        }
    }

    private sealed class FlexDouble : JsonConverter<double?>
    {
        public override bool HandleNull => true;

        public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadDouble(ref reader);

        public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
        {
            if (value is { } v) writer.WriteNumberValue(v); else writer.WriteNullValue();
        }
    }

    /// <summary>1/0, "1"/"0", ""(false), true/false, null.</summary>
    private sealed class FlexBool : JsonConverter<bool?>
    {
        public override bool HandleNull => true;

        public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.True: return true;
                case JsonTokenType.False: return false;
                case JsonTokenType.Null: return null;
                case JsonTokenType.String:
                    var s = reader.GetString()?.Trim();
                    if (string.IsNullOrEmpty(s)) return false;
                    if (bool.TryParse(s, out var b)) return b;
                    return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d != 0 : null;
                default:
                    return ReadDouble(ref reader) is { } n ? n != 0 : null;
            }
        }

        public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
        {
            if (value is { } v) writer.WriteNumberValue(v ? 1 : 0); else writer.WriteNullValue();
        }
    }

    /// <summary>Strings, or numbers/booleans rendered as text (PVE sometimes sends ids as numbers).</summary>
    private sealed class FlexString : JsonConverter<string>
    {
        public override bool HandleNull => true;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String: return reader.GetString();
                case JsonTokenType.Number: return Number(ref reader);
                case JsonTokenType.True: return "1";
                case JsonTokenType.False: return "0";
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    reader.Skip();
                    return null;
                default: return null;
            }
        }

        private static string Number(ref Utf8JsonReader reader) =>
            reader.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : reader.GetDouble().ToString(CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
        }
    }
}
