using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;

namespace Moxxie.Core.Clusters;

/// <summary>Settings → Proxmox connections (Admin only): list, test, add/edit, remove. Secrets are encrypted with
/// ISecretProtector before they reach the database and are never returned. Every change is audited
/// (CONNECTION_CREATE / CONNECTION_UPDATE / CONNECTION_DELETE) and reloads IProxmoxConnections.</summary>
public sealed class ConnectionService
{
    // TODO(H2): implement. Constructor dependencies: IMoxxieDbFactory, ISecretProtector, IProxmoxConnections,
    // IProxmoxConnectionTester, IAuditLog, TimeProvider.
    public IReadOnlyList<ConnectionInfo> List() => throw new NotImplementedException();

    /// <summary>Admin only (ForbiddenException otherwise).</summary>
    public Task<ConnectionTestResult> TestAsync(Actor actor, ProxmoxConnectionSettings settings, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Adds (originalName null) or edits a database-stored connection. On edit a null/empty TokenSecret keeps the
    /// stored one. Validation (name pattern, https URL, token id user@realm!name, fingerprint format, unique name) throws
    /// Validation.ValidationException with per-field errors; configuration-sourced connections cannot be edited.</summary>
    public Task SaveAsync(Actor actor, string? originalName, ProxmoxConnectionSettings settings, CancellationToken ct) => throw new NotImplementedException();

    public Task DeleteAsync(Actor actor, string name, CancellationToken ct) => throw new NotImplementedException();
}
