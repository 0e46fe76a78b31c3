namespace Moxxie.Core.Proxmox;

/// <summary>
/// The registry of configured PVE connections (from configuration, from the database, and the demo simulator).
/// Gateways are created once per connection and rebuilt when a connection changes.
/// </summary>
public interface IProxmoxConnections
{
    IReadOnlyList<ConnectionInfo> All { get; }

    /// <summary>Throws <see cref="KeyNotFoundException"/> for an unknown name.</summary>
    IProxmoxGateway Get(string connection);

    /// <summary>Raised after connections were added, changed or removed (e.g. from the Settings page).</summary>
    event Action? Changed;

    /// <summary>Re-reads database-stored connections (after Settings saved one).</summary>
    Task ReloadAsync(CancellationToken ct);
}

public enum ConnectionSource { Configuration, Database, Demo }

/// <summary>What may be shown about a connection. Never carries the token secret.</summary>
public sealed record ConnectionInfo(string Name, Uri Url, string? TokenId, string? Fingerprint, bool InsecureSkipVerify, ConnectionSource Source);

/// <summary>Settings of one connection as entered by an operator or configuration. The secret stays in memory only.</summary>
public sealed record ProxmoxConnectionSettings(
    string Name,
    Uri Url,
    string? TokenId,
    string? TokenSecret,
    string? Fingerprint,
    bool InsecureSkipVerify,
    string? Username = null,
    string? Password = null)
{
    /// <summary>Keeps the token secret and password out of ToString (and so out of logs and exception messages).</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Name = {Name}, Url = {Url}, TokenId = {TokenId}, TokenSecret = {(TokenSecret is null ? "" : "***")}, ");
        builder.Append($"Fingerprint = {Fingerprint}, InsecureSkipVerify = {InsecureSkipVerify}, Username = {Username}, Password = {(Password is null ? "" : "***")}");
        return true;
    }
}

/// <summary>Result of "Test connection": what PVE reported and the certificate fingerprint it presented (to pin).</summary>
public sealed record ConnectionTestResult(bool Success, string? Error, string? PveVersion, string? ClusterName, string? CertificateFingerprint, int? NodeCount);

public interface IProxmoxConnectionTester
{
    /// <summary>Connects with the given settings, reports version, cluster name and the presented certificate's SHA-256 fingerprint.
    /// A fingerprint mismatch is reported as a failure that still carries the presented fingerprint.</summary>
    Task<ConnectionTestResult> TestAsync(ProxmoxConnectionSettings settings, CancellationToken ct);
}
