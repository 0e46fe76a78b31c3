using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Clusters;

/// <summary>Validation rules of a PVE connection, shared by configuration validation (start-up) and Settings.
/// Each method returns an error message or null.</summary>
public static partial class ConnectionRules
{
    public static string? Name(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "is required"
        : NameRegex().IsMatch(name) ? null
        : "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    public static string? Url(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(u.Host)
            ? null
            : "must be an absolute https URL";

    public static string? Url(Uri? url) => Url(url?.ToString());

    /// <summary>user@realm!tokenname, as PVE shows it when the token is created.</summary>
    public static string? TokenId(string? tokenId) =>
        string.IsNullOrWhiteSpace(tokenId) ? "is required"
        : TokenIdRegex().IsMatch(tokenId) ? null
        : "must look like user@realm!tokenname";

    /// <summary>SHA-256 as PVE shows it: 32 colon-separated hex bytes, any case.</summary>
    public static string? Fingerprint(string? fingerprint) =>
        string.IsNullOrWhiteSpace(fingerprint) || FingerprintRegex().IsMatch(fingerprint.Trim())
            ? null
            : "must be a SHA-256 fingerprint: 32 colon-separated hex bytes (AB:CD:…)";

    /// <summary>Upper-case, colon-separated form (or null).</summary>
    public static string? NormalizeFingerprint(string? fingerprint) =>
        string.IsNullOrWhiteSpace(fingerprint) ? null : fingerprint.Trim().ToUpperInvariant();

    /// <summary>Per-field errors of a complete set of settings (keys: name, url, tokenId, tokenSecret, fingerprint, username, password).</summary>
    public static Dictionary<string, string> Validate(ProxmoxConnectionSettings s, bool secretRequired = true)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        void Check(string field, string? error, string label)
        {
            if (error is not null) errors[field] = $"{label} {error}.";
        }
        Check("name", Name(s.Name), "Name");
        Check("url", Url(s.Url), "URL");
        Check("fingerprint", Fingerprint(s.Fingerprint), "Fingerprint");
        var ticketAuth = !string.IsNullOrWhiteSpace(s.Username);
        if (ticketAuth)
        {
            if (!UserRegex().IsMatch(s.Username!)) errors["username"] = "Username must look like user@realm.";
            if (secretRequired && string.IsNullOrEmpty(s.Password)) errors["password"] = "Password is required.";
        }
        else
        {
            Check("tokenId", TokenId(s.TokenId), "Token ID");
            if (secretRequired && string.IsNullOrWhiteSpace(s.TokenSecret)) errors["tokenSecret"] = "Token secret is required.";
        }
        return errors;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^[^\s@!:]+@[A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]*$")]
    private static partial Regex TokenIdRegex();

    [GeneratedRegex(@"^[^\s@!:]+@[A-Za-z0-9._-]+$")]
    private static partial Regex UserRegex();

    [GeneratedRegex(@"^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$")]
    private static partial Regex FingerprintRegex();
}
