using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Bulk;
using Moxxie.Core.Persistence;

namespace Moxxie.Core.Snapshots;

/// <summary>Reads the records Moxxie wrote when it created snapshots of a VM (see <see cref="SnapshotSelection.MadeByMoxxie"/>):
/// successful SNAPSHOT_CREATE audit rows, succeeded bulk snapshot tasks (with their operation's Source, which names the
/// scheduler job) and TTL rows.</summary>
public sealed class SnapshotOrigins(IMoxxieDbFactory dbFactory)
{
    public async Task<IReadOnlyList<SnapshotOrigin>> ForVmAsync(string connection, int vmId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var idPrefix = vmId.ToString(CultureInfo.InvariantCulture) + "/";
        var audited = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Operation == "SNAPSHOT_CREATE" && a.Success && a.Connection == connection && a.ResourceId != null && a.ResourceId.StartsWith(idPrefix))
            .Select(a => new { a.ResourceId, a.Timestamp }).ToListAsync(ct);
        var bulk = await (from t in db.BulkTasks.AsNoTracking()
                          join o in db.BulkOperations.AsNoTracking() on t.OperationId equals o.Id
                          where o.Kind == BulkKinds.Snapshot && t.Status == BulkTaskStatus.Succeeded && t.Connection == connection && t.VmId == vmId
                                && t.ProposedName != null
                          select new { t.ProposedName, t.PostingAt, t.StartedAt, t.CreatedAt, o.Source }).ToListAsync(ct);
        var ttls = await db.SnapshotTtls.AsNoTracking().Where(t => t.Connection == connection && t.VmId == vmId)
            .Select(t => new { t.SnapshotName, t.CreatedAt }).ToListAsync(ct);
        return
        [
            .. audited.Select(a => new SnapshotOrigin(a.ResourceId![idPrefix.Length..], a.Timestamp, "audit")),
            .. bulk.Select(b => new SnapshotOrigin(b.ProposedName!, b.PostingAt ?? b.StartedAt ?? b.CreatedAt, b.Source)),
            .. ttls.Select(t => new SnapshotOrigin(t.SnapshotName, t.CreatedAt, "ttl")),
        ];
    }
}
