using Moxxie.Core.Security;

namespace Moxxie.Core.Audit;

/// <summary>Writes audit rows. Implemented over IMoxxieDbFactory (one context per write).</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditRecord record, CancellationToken ct);

    Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken ct);

    /// <summary>Whether a row already names this PVE task (a resumed bulk task writes its VM's row only when none does).</summary>
    Task<bool> HasUpidAsync(string upid, CancellationToken ct);
}

public sealed record AuditRecord(
    Actor Actor,
    string Operation,
    string ResourceType,
    string? ResourceId,
    bool Success,
    TimeSpan Duration,
    string? Node = null,
    string? Connection = null,
    object? Details = null,
    string? Error = null,
    string? Upid = null);
