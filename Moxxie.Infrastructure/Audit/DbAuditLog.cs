using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;

namespace Moxxie.Infrastructure.Audit;

/// <summary>Insert-only audit log over the database, one context per write.</summary>
public sealed class DbAuditLog(IMoxxieDbFactory dbFactory, TimeProvider time) : IAuditLog
{
    public async Task WriteAsync(AuditRecord record, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            Timestamp = time.GetUtcNow(),
            User = record.Actor.UserName,
            SourceIp = record.Actor.SourceIp,
            Operation = record.Operation,
            ResourceType = record.ResourceType,
            ResourceId = record.ResourceId,
            Node = record.Node,
            Connection = record.Connection,
            DetailsJson = record.Details is null ? null : JsonSerializer.Serialize(record.Details),
            Success = record.Success,
            Error = record.Error,
            Duration = record.Duration.TotalSeconds,
            Upid = record.Upid,
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> HasUpidAsync(string upid, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.AuditEntries.AsNoTracking().AnyAsync(e => e.Upid == upid, ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.AuditEntries.AsNoTracking()
            .OrderByDescending(e => e.Timestamp).ThenByDescending(e => e.Id)
            .Take(Math.Clamp(limit, 1, 1000))
            .ToListAsync(ct);
    }
}
