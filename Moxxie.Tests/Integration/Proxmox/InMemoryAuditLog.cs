using System.Collections.Concurrent;
using Moxxie.Core.Audit;

namespace Moxxie.Tests.Integration.Proxmox;

/// <summary>Keeps audit records in memory (the persistence-backed IAuditLog is tested with the database).</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    public ConcurrentQueue<AuditRecord> Records { get; } = new();

    public Task WriteAsync(AuditRecord record, CancellationToken ct)
    {
        Records.Enqueue(record);
        return Task.CompletedTask;
    }

    public Task<bool> HasUpidAsync(string upid, CancellationToken ct) => Task.FromResult(Records.Any(r => r.Upid == upid));

    public Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken ct) => Task.FromResult<IReadOnlyList<AuditEntry>>([]);
}
