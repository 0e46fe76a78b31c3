using System.Globalization;

namespace Moxxie.Core.Proxmox;

/// <summary>
/// PVE "property strings" as stored in guest configs (<c>scsi0: local-lvm:vm-101-disk-0,iothread=1,size=32G</c>,
/// <c>net0: virtio=BC:24:11:2E:7A:01,bridge=vmbr0,tag=10</c>): comma-separated <c>key=value</c> pairs where one
/// value may come without a key (the format's <c>default_key</c>, e.g. the disk's <c>file</c>). Order is kept.
/// </summary>
public sealed class PropertyString
{
    private readonly List<KeyValuePair<string, string>> _pairs;

    private PropertyString(List<KeyValuePair<string, string>> pairs, string? defaultValue)
    {
        _pairs = pairs;
        DefaultValue = defaultValue;
    }

    /// <summary>The value given without a key (first such value), e.g. the volume of a disk.</summary>
    public string? DefaultValue { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public string? this[string key] => _pairs.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal)).Value;

    public bool Has(string key) => _pairs.Any(p => string.Equals(p.Key, key, StringComparison.Ordinal));

    public static PropertyString Parse(string? text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        string? defaultValue = null;
        if (string.IsNullOrWhiteSpace(text)) return new PropertyString(pairs, null);
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                defaultValue ??= part;
                continue;
            }
            pairs.Add(new(part[..eq].Trim(), part[(eq + 1)..].Trim()));
        }
        return new PropertyString(pairs, defaultValue);
    }

    public bool? Bool(string key) => this[key] is { } v ? ParseBool(v) : null;

    public int? Int(string key) => int.TryParse(this[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    public static bool? ParseBool(string? v) => v?.Trim().ToLowerInvariant() switch
    {
        "1" or "on" or "yes" or "true" => true,
        "0" or "off" or "no" or "false" => false,
        _ => null,
    };

    /// <summary>PVE disk sizes: a number with an optional K/M/G/T suffix (no suffix = bytes for disks, as PVE prints "size=540K").</summary>
    public static long? ParseSize(string? size)
    {
        if (string.IsNullOrWhiteSpace(size)) return null;
        var s = size.Trim();
        var unit = char.ToUpperInvariant(s[^1]);
        var factor = unit switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, 'P' => 1L << 50, _ => 1L };
        var number = factor == 1 && char.IsDigit(s[^1]) ? s : s[..^1];
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? (long)Math.Round(d * factor) : null;
    }
}
