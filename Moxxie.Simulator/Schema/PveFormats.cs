using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Moxxie.Simulator.Schema;

/// <summary>Checks a value against a format; returns PVE's die message (ending in a newline) or null when valid.</summary>
internal delegate string? PveFormat(string value, string path);

/// <summary>
/// The string formats of PVE::JSONSchema (pve-common src/PVE/JSONSchema.pm) and of the packages that register more
/// (pve-access-control, pve-storage, pve-network, pve-manager), with their die messages. "-list" formats split like
/// PVE::Tools::split_list and check every item; "-opt" formats check non-empty values. Named formats not listed here
/// (mostly hash formats whose keys the API dump does not carry, e.g. pve-qm-ide, pve-vm-cpu-conf) are not checked.
/// </summary>
internal static partial class PveFormats
{
    private const string Ipv4Octet = "(?:25[0-5]|(?:2[0-4]|1[0-9]|[1-9])?[0-9])";
    private const string Ipv4Re = $"(?:(?:{Ipv4Octet}\\.){{3}}{Ipv4Octet})";
    private const string ConfigIdRe = "[a-z][a-z0-9_-]+";
    private const string EmailRe = @"[\w\+\-\~]+(\.[\w\+\-\~]+)*@[a-zA-Z0-9\-]+(\.[a-zA-Z0-9\-]+)*";
    private const string RealmRe = @"[A-Za-z][A-Za-z\.\-_]+";
    private const string UserRe = @"[^\s:/]+";

    private static readonly HashSet<string> Ipv4Masks = BuildMasks();

    private static readonly Dictionary<string, Func<string, string?>> Named = new(StringComparer.Ordinal)
    {
        ["string"] = _ => null,
        ["urlencoded"] = v => Match(v, @"^[-%a-zA-Z0-9_.!~*'()]*$") ? null : $"invalid urlencoded string: {v}\n",
        ["pve-configid"] = v => Match(v, $"^{ConfigIdRe}$", true) ? null : $"invalid configuration ID '{v}'\n",
        ["pve-storage-id"] = v => ParseId(v, "storage"),
        ["acme-plugin-id"] = v => ParseId(v, "ACME plugin"),
        ["pve-bridge-id"] = v => Match(v, @"^[-_.\w\d]+$") ? null : $"invalid bridge ID '{v}'\n",
        ["pve-vmid"] = v => Match(v, "^[1-9][0-9]{2,8}$") ? null : "value does not look like a valid VM ID\n",
        ["pve-node"] = v => Match(v, "^([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)$") ? null : "value does not look like a valid node name\n",
        ["mac-addr"] = v => Match(v, "^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$", true) ? null : "value does not look like a valid unicast MAC address\n",
        ["ipv4"] = v => IsIpv4(v) ? null : "value does not look like a valid IPv4 address\n",
        ["ipv6"] = v => IsIpv6(v) ? null : "value does not look like a valid IPv6 address\n",
        ["ip"] = v => IsIpv4(v) || IsIpv6(v) ? null : "value does not look like a valid IP address\n",
        ["ipv4mask"] = v => Ipv4Masks.Contains(v) ? null : "value does not look like a valid IP netmask\n",
        ["CIDRv4"] = v => IsCidr4(v) ? null : "value does not look like a valid IPv4 CIDR network\n",
        ["CIDRv6"] = v => IsCidr6(v) ? null : "value does not look like a valid IPv6 CIDR network\n",
        ["CIDR"] = v => IsCidr4(v) || IsCidr6(v) ? null : "value does not look like a valid CIDR network\n",
        ["IPorCIDR"] = v => IsIpv4(v) || IsIpv6(v) || IsCidr4(v) || IsCidr6(v) ? null : "value does not look like a valid IP address or CIDR network\n",
        ["pve-ipv4-config"] = v => v is "dhcp" or "manual" || IsCidr4(v) ? null : "value does not look like a valid ipv4 network configuration\n",
        ["pve-ipv6-config"] = v => v is "auto" or "dhcp" or "manual" || IsCidr6(v) ? null : "value does not look like a valid ipv6 network configuration\n",
        ["email"] = v => Match(v, $"^{EmailRe}$") ? null : "value does not look like a valid email address\n",
        ["email-or-username"] = v => Match(v, $"^{EmailRe}$") || Match(v, $"^{UserRe}$")
            ? null : "value does not look like a valid email address or user name\n",
        ["dns-name"] = v => IsDnsName(v) ? null : "value does not look like a valid DNS name\n",
        ["address"] = v => IsIpv4(v) || IsIpv6(v) || IsDnsName(v) ? null : $"value does not look like a valid address: {v}\n",
        ["pve-iface"] = v => Match(v, @"^[a-z][a-z0-9_]{1,20}([:\.]\d+)?$", true) ? null : $"invalid network interface name '{v}'\n",
        ["pve-vlan-id-or-range"] = VlanIdOrRange,
        ["ldap-simple-attr"] = v => Match(v, "^[a-zA-Z0-9]+$") ? null : $"value '{v}' does not look like a simple ldap attribute name\n",
        ["disk-size"] = v => Match(v, @"^(\d+(\.\d+)?)([KMGT])?$") ? null : $"value does not look like a valid disk size: {v}\n",
        ["pve-startup-order"] = v => StartupOrder(v) ? null : "unable to parse startup options\n",
        ["pve-tag"] = v => Match(v, @"^[a-z0-9_][a-z0-9_\-\+\.]*$", true) ? null : "invalid characters in tag\n",
        ["pve-task-status-type"] = v => Match(v, "^(ok|error|warning|unknown)$", true) ? null : $"invalid status '{v}'\n",
        ["pve-volume-id"] = v => Match(v, @"^([a-z][a-z0-9\-_\.]*[a-z0-9]):(.+)$", true) ? null : $"unable to parse volume ID '{v}'\n",
        ["pve-realm"] = v => Match(v, $"^{RealmRe}$") ? null : $"value '{v}' does not look like a valid realm\n",
        ["pve-userid"] = VerifyUsername,
        ["pve-tokenid"] = v => Match(v, $"^{UserRe}@{RealmRe}!{RealmRe}$")
            ? null : $"value '{v}' does not look like a valid token ID\n",
        ["pve-groupid"] = v => Match(v, @"^[A-Za-z0-9\.\-_]+$") ? null : $"group name '{v}' contains invalid characters\n",
        ["pve-roleid"] = v => Match(v, @"^[A-Za-z0-9\.\-_]+$") ? null : $"role name '{v}' contains invalid characters\n",
        ["pve-poolid"] = v => Match(v, @"^[A-Za-z0-9\.\-_]+(?:/[A-Za-z0-9\.\-_]+){0,2}$") ? null : $"pool name '{v}' contains invalid characters\n",
        ["pve-priv"] = v => Match(v, @"^[A-Za-z][A-Za-z\.]+$") ? null : $"invalid privilege '{v}'\n",
        ["pve-sdn-zone-id"] = v => SdnId(v, "zone"),
        ["pve-sdn-vnet-id"] = v => SdnId(v, "vnet"),
        ["pve-sdn-controller-id"] = v => Match(v, "^[a-z][a-z0-9_-]*[a-z0-9]$", true) ? null : $"controller ID '{v}' contains illegal characters\n",
        ["pve-sdn-ipam-id"] = v => Match(v, "^[a-z][a-z0-9_-]*[a-z0-9]$", true) ? null : $"ipam ID '{v}' contains illegal characters\n",
        ["pve-sdn-dns-id"] = v => Match(v, "^[a-z][a-z0-9_-]*[a-z0-9]$", true) ? null : $"dns ID '{v}' contains illegal characters\n",
        // parse_sdn_subnet_id: a CIDR ("10.0.0.0/24", as POST …/subnets takes it) or an id "zone-10.0.0.0-24"
        ["pve-sdn-subnet-id"] = v =>
        {
            var cidr = v.Contains('/', StringComparison.Ordinal) ? v : v.Split('-') is [_, var ip, var mask] ? $"{ip}/{mask}" : v;
            return IsCidr4(cidr) || IsCidr6(cidr) ? null : "value does not look like a valid CIDR network\n";
        },
        ["pve-storage-content"] = v => Match(v, "^(images|rootdir|vztmpl|iso|backup|snippets|import|none)$") ? null : $"invalid content type '{v}'\n",
        ["pve-task-upid"] = v => Match(v, @"^UPID:([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$")
            ? null : "unable to parse worker upid\n",
    };

    /// <summary>The checker for a named format, or null when this format is not checked (see class summary).</summary>
    public static PveFormat? Resolve(string format)
    {
        var name = format;
        var kind = "none";
        if (format.EndsWith("-list", StringComparison.Ordinal) && !Named.ContainsKey(format)) (name, kind) = (format[..^5], "list");
        else if (format.EndsWith("-opt", StringComparison.Ordinal) && !Named.ContainsKey(format)) (name, kind) = (format[..^4], "opt");
        if (NamedHash.TryGetValue(name, out var hash)) return kind == "none" ? (v, p) => PropertyString.Check(hash.Value, v, p) : null;
        if (!Named.TryGetValue(name, out var check)) return null;
        return kind switch
        {
            "list" => (v, _) =>
            {
                foreach (var item in SplitList(v))
                    if (check(item) is { } message) return message;
                return null;
            },
            "opt" => (v, _) => v.Length == 0 ? null : check(v),
            _ => (v, _) => check(v),
        };
    }

    public static bool IsKnown(string format) => Resolve(format) is not null;

    /// <summary>PVE::Tools::split_list: NUL-separated, else commas/semicolons/whitespace.</summary>
    public static string[] SplitList(string value)
    {
        if (value.Contains('\0')) return value.Split('\0');
        return value.Split([',', ';', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
    }

    // ---- hash formats the API dump names without their keys; written out here where the console needs them -------

    private static readonly Dictionary<string, Lazy<IReadOnlyDictionary<string, SchemaNode>>> NamedHash = new(StringComparer.Ordinal)
    {
        // pve-storage PVE/Storage/Plugin.pm (prune-backups), keep-* integers >= 0 plus keep-all.
        ["prune-backups"] = new(() => new Dictionary<string, SchemaNode>(StringComparer.Ordinal)
        {
            ["keep-all"] = new() { Types = ["boolean"], Optional = true },
            ["keep-last"] = new() { Types = ["integer"], Optional = true, Minimum = 1 },
            ["keep-hourly"] = new() { Types = ["integer"], Optional = true, Minimum = 1 },
            ["keep-daily"] = new() { Types = ["integer"], Optional = true, Minimum = 1 },
            ["keep-weekly"] = new() { Types = ["integer"], Optional = true, Minimum = 1 },
            ["keep-monthly"] = new() { Types = ["integer"], Optional = true, Minimum = 1 },
            ["keep-yearly"] = new() { Types = ["integer"], Optional = true, Minimum = 1 },
        }),
    };

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static readonly Dictionary<string, Regex> RegexCache = new(StringComparer.Ordinal);

    private static bool Match(string value, string pattern, bool ignoreCase = false)
    {
        Regex? re;
        var key = ignoreCase ? "i:" + pattern : pattern;
        lock (RegexCache)
        {
            if (!RegexCache.TryGetValue(key, out re))
                RegexCache[key] = re = new Regex(pattern, RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
        }
        return re.IsMatch(value);
    }

    private static string? ParseId(string id, string type) =>
        Match(id, @"^[a-z][a-z0-9\-_\.]*[a-z0-9]$", true) ? null : $"{type} ID '{id}' contains illegal characters\n";

    private static string? SdnId(string id, string type)
    {
        if (!Match(id, "^[a-z][a-z0-9]*[a-z0-9]$", true)) return $"{type} ID '{id}' contains illegal characters\n";
        return id.Length > 8 ? $"{type} ID '{id}' can't be more length than 8 characters\n" : null;
    }

    private static bool IsIpv4(string v) => Match(v, $"^{Ipv4Re}$");

    private static bool IsIpv6(string v) =>
        v.Contains(':') && !v.Contains('%') && !v.Contains('[') && IPAddress.TryParse(v, out var a) && a.AddressFamily == AddressFamily.InterNetworkV6;

    private static bool IsCidr4(string v)
    {
        var slash = v.IndexOf('/');
        return slash > 0 && IsIpv4(v[..slash]) && int.TryParse(v[(slash + 1)..], out var bits) && Match(v[(slash + 1)..], @"^\d+$") && bits > 7 && bits <= 32;
    }

    private static bool IsCidr6(string v)
    {
        var slash = v.IndexOf('/');
        return slash > 0 && IsIpv6(v[..slash]) && int.TryParse(v[(slash + 1)..], out var bits) && Match(v[(slash + 1)..], @"^\d+$") && bits > 7 && bits <= 128;
    }

    private static bool IsDnsName(string v)
    {
        const string name = "([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?)";
        return Match(v, $"^({name}\\.)*{name}$");
    }

    private static string? VlanIdOrRange(string v)
    {
        var m = Regex.Match(v, @"^(\d+)(?:-(\d+))?$");
        if (!m.Success) return $"invalid VLAN configuration '{v}'\n";
        var start = long.Parse(m.Groups[1].Value);
        if (start is < 2 or > 4094) return $"invalid VLAN tag '{m.Groups[1].Value}'\n";
        if (!m.Groups[2].Success) return null;
        var end = long.Parse(m.Groups[2].Value);
        if (end is < 2 or > 4094) return $"invalid VLAN tag '{m.Groups[2].Value}'\n";
        return start >= end ? $"VLAN range must go from lower to higher tag '{v}'\n" : null;
    }

    private static bool StartupOrder(string v)
    {
        if (v.Length == 0 || v == "0") return false;
        foreach (var p in v.Split(','))
        {
            if (string.IsNullOrWhiteSpace(p)) continue;
            if (!Match(p, @"^(order=)?(\d+)$") && !Match(p, @"^up=(\d+)$") && !Match(p, @"^down=(\d+)$")) return false;
        }
        return true;
    }

    /// <summary>pve-access-control PVE/Auth/Plugin.pm verify_username.</summary>
    private static string? VerifyUsername(string v)
    {
        if (v.Length < 3) return $"user name '{v}' is too short\n";
        if (v.Length > 64) return $"user name '{v}' is too long ({v.Length} > 64)\n";
        return Match(v, $"^({UserRe})@({RealmRe})$") ? null : $"value '{v}' does not look like a valid user name\n";
    }

    private static HashSet<string> BuildMasks()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var bits = 0; bits <= 32; bits++)
        {
            var mask = bits == 0 ? 0u : uint.MaxValue << (32 - bits);
            set.Add($"{mask >> 24}.{(mask >> 16) & 255}.{(mask >> 8) & 255}.{mask & 255}");
        }
        return set;
    }
}
