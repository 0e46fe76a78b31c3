using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>How PVE's TLS certificate is checked: pinned SHA-256 fingerprint (PVE's self-signed certificate), accept-all
/// for labs (InsecureSkipVerify), or normal chain validation. Remembers what was presented, so "Test connection" can show
/// the fingerprint to pin even when validation failed.</summary>
internal sealed class CertificatePolicy(string? pinnedFingerprint, bool insecureSkipVerify)
{
    private readonly string? _pinned = Normalize(pinnedFingerprint);

    public string? PinnedFingerprint => _pinned;

    public string? LastPresentedFingerprint { get; private set; }

    public SslPolicyErrors LastErrors { get; private set; }

    /// <summary>The last validation failed (pin mismatch or untrusted certificate).</summary>
    public bool LastRejected { get; private set; }

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        LastErrors = errors;
        if (certificate is null)
        {
            LastPresentedFingerprint = null;
            LastRejected = true;
            return false;
        }
        var presented = Fingerprint(certificate);
        LastPresentedFingerprint = presented;
        var ok = _pinned is not null
            ? string.Equals(presented, _pinned, StringComparison.Ordinal)
            : insecureSkipVerify || errors == SslPolicyErrors.None;
        LastRejected = !ok;
        return ok;
    }

    /// <summary>Explains a rejected handshake plainly (no secrets involved).</summary>
    public string Describe(Uri url) => _pinned is not null
        ? $"The TLS certificate of {url.Authority} does not match the pinned fingerprint (presented {LastPresentedFingerprint ?? "none"})."
        : $"The TLS certificate of {url.Authority} is not trusted ({LastErrors}); pin its fingerprint {LastPresentedFingerprint ?? "(none presented)"} or enable InsecureSkipVerify.";

    /// <summary>SHA-256 of the DER certificate as PVE shows it: upper-case hex bytes separated by ':'.</summary>
    public static string Fingerprint(X509Certificate certificate) =>
        string.Join(':', SHA256.HashData(certificate.GetRawCertData()).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    public static string? Normalize(string? fingerprint)
    {
        if (string.IsNullOrWhiteSpace(fingerprint)) return null;
        var hex = fingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        return string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
    }
}
