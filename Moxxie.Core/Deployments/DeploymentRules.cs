using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Moxxie.Core.Deployments;

/// <summary>Checks made before anything is sent to PVE (the same rules PVE applies, with friendlier messages), and the
/// encodings PVE wants (sshkeys URL-encoded, ipconfigN as a property string).</summary>
public static partial class DeploymentRules
{
    public const int MaxNameLength = 63;
    public const int MinMemoryMb = 16;
    public const int MaxMemoryMb = 4 * 1024 * 1024;
    public const int MaxCores = 512;

    private static readonly string[] KeyTypes =
    [
        "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    /// <summary>PVE's dns-name format (pve-common JSONSchema.pm): labels of letters, digits and hyphens, separated by dots.</summary>
    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?$")]
    private static partial Regex DnsName();

    [GeneratedRegex(@"^[a-z_][a-z0-9_.\-]{0,31}$", RegexOptions.IgnoreCase)]
    private static partial Regex UserName();

    [GeneratedRegex(@"^[A-Za-z0-9+/]+={0,3}$")]
    private static partial Regex Base64();

    public static string? NameError(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "A name is required.";
        if (name.Length > MaxNameLength) return $"At most {MaxNameLength} characters.";
        if (!DnsName().IsMatch(name)) return "Letters, digits and hyphens (a DNS name): no spaces or underscores, no hyphen at either end.";
        return null;
    }

    public static string? CoresError(int? cores) =>
        cores is { } c && (c < 1 || c > MaxCores) ? $"Between 1 and {MaxCores}." : null;

    public static string? MemoryError(int? memoryMb) =>
        memoryMb is { } m && (m < MinMemoryMb || m > MaxMemoryMb) ? $"Between {MinMemoryMb} and {MaxMemoryMb} MiB." : null;

    public static string? CiUserError(string? user) =>
        string.IsNullOrEmpty(user) || UserName().IsMatch(user) ? null : "A Unix user name: a letter or _, then letters, digits, '.', '_' or '-' (at most 32).";

    /// <summary>The non-empty lines of the keys text.</summary>
    public static IReadOnlyList<string> KeyLines(string? keys) =>
        keys is null ? [] : [.. keys.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    /// <summary>Each line must look like an OpenSSH public key: type, base64 blob, optional comment.</summary>
    public static string? SshKeysError(string? keys)
    {
        var lines = KeyLines(keys);
        for (var i = 0; i < lines.Count; i++)
        {
            var parts = lines[i].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !KeyTypes.Contains(parts[0], StringComparer.Ordinal) || !Base64().IsMatch(parts[1]))
                return $"Line {i + 1} is not an OpenSSH public key (expected e.g. \"ssh-ed25519 AAAA… user@host\").";
        }
        return null;
    }

    /// <summary>PVE stores sshkeys URL-encoded (the GUI sends encodeURIComponent of the text); the API checks it against
    /// the "urlencoded" format. Lines joined with "\n".</summary>
    public static string? EncodeSshKeys(string? keys)
    {
        var lines = KeyLines(keys);
        return lines.Count == 0 ? null : Uri.EscapeDataString(string.Join('\n', lines) + "\n");
    }

    /// <summary>ipconfigN: "ip=dhcp", "ip=10.0.0.5/24,gw=10.0.0.1", optionally ip6=dhcp|auto|CIDR and gw6.</summary>
    public static string? IpConfigError(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in value.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || !seen.Add(kv[0])) return "Comma-separated ip=, gw=, ip6=, gw6= (e.g. ip=dhcp or ip=10.0.0.5/24,gw=10.0.0.1).";
            var ok = kv[0] switch
            {
                "ip" => kv[1] == "dhcp" || IsCidr(kv[1], System.Net.Sockets.AddressFamily.InterNetwork),
                "gw" => IPAddress.TryParse(kv[1], out var gw) && gw.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork,
                "ip6" => kv[1] is "dhcp" or "auto" || IsCidr(kv[1], System.Net.Sockets.AddressFamily.InterNetworkV6),
                "gw6" => IPAddress.TryParse(kv[1], out var gw6) && gw6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
                _ => false,
            };
            if (!ok) return $"'{part}' is not valid: ip is dhcp or an IPv4 address with prefix (10.0.0.5/24), gw an IPv4 address.";
        }
        if (seen.Contains("gw") && !seen.Contains("ip")) return "A gateway (gw) needs an address (ip).";
        return null;
    }

    private static bool IsCidr(string text, System.Net.Sockets.AddressFamily family)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return false;
        return IPAddress.TryParse(text[..slash], out var ip) && ip.AddressFamily == family
            && int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix >= 0 && prefix <= (family == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    /// <summary>A new deployment id: "dep_" + 16 lower-case hex digits.</summary>
    public static string NewId() => "dep_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
