using System.Globalization;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>Request parameters as PVE expects them: booleans 0/1, numbers invariant, nulls left out (never sent as "").
/// Used as the form of POST/PUT and as the query of GET/DELETE.</summary>
internal sealed class PveParams : List<KeyValuePair<string, string>>
{
    public PveParams Add(string key, string? value)
    {
        if (value is not null) Add(new KeyValuePair<string, string>(key, value));
        return this;
    }

    public PveParams Add(string key, bool? value) => value is { } b ? Add(key, b ? "1" : "0") : this;

    public PveParams Add(string key, long? value) => value is { } n ? Add(key, n.ToString(CultureInfo.InvariantCulture)) : this;

    public PveParams Add(string key, int? value) => Add(key, (long?)value);

    /// <summary>Comma-separated list (PVE's -list formats), left out when empty.</summary>
    public PveParams AddList(string key, IEnumerable<string>? values, char separator = ',') =>
        values?.ToList() is { Count: > 0 } list ? Add(key, string.Join(separator, list)) : this;

    public PveParams AddAll(IEnumerable<KeyValuePair<string, string>> values)
    {
        foreach (var kv in values) Add(kv);
        return this;
    }

    /// <summary>"?a=1&amp;b=x" (or "" when empty), percent-encoded.</summary>
    public string Query() =>
        Count == 0 ? "" : "?" + string.Join('&', this.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
}
