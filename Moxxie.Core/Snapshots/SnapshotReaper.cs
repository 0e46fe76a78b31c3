using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;

namespace Moxxie.Core.Snapshots;

/// <summary>Deletes snapshots whose TTL has passed (by <see cref="TimeProvider"/>), as user "system". Only snapshots with a
/// TTL row are considered. Each deletion is audited as SNAPSHOT_EXPIRE with its UPID; a failed deletion is audited and the
/// row kept, so the next round tries again; a snapshot (or VM) already gone just loses its row. Rows of connections whose
/// inventory is not loaded yet wait. A round waits for each deletion task to end (its exit status decides).</summary>
public sealed class SnapshotReaper(
    InventoryHub hub,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    IMoxxieDbFactory dbFactory,
    TimeProvider time,
    ILogger<SnapshotReaper>? logger = null)
{
    public const string Operation = "SNAPSHOT_EXPIRE";
    private readonly ILogger _logger = logger ?? NullLogger<SnapshotReaper>.Instance;

    public async Task<ReapResult> ReapAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<SnapshotTtl> expired;
        await using (var db = await dbFactory.CreateAsync(ct))
            expired = await db.SnapshotTtls.AsNoTracking().Where(t => t.ExpiresAt <= now).OrderBy(t => t.ExpiresAt).ToListAsync(ct);

        int deleted = 0, gone = 0, failed = 0;
        foreach (var row in expired)
        {
            ct.ThrowIfCancellationRequested();
            if (hub.Get(row.Connection) is not { } inventory) continue;
            var guest = inventory.Resources.Guests.FirstOrDefault(g => g.VmId == row.VmId);
            if (guest is null)
            {
                await RemoveAsync(row.Id, ct);
                gone++;
                continue;
            }

            var started = time.GetTimestamp();
            var details = new { vmid = row.VmId, snapshot = row.SnapshotName, ttlHours = row.TtlHours, expiresAt = row.ExpiresAt, createdBy = row.CreatedBy };
            var resourceId = SnapshotService.ResourceId(row.VmId, row.SnapshotName);
            try
            {
                var gateway = connections.Get(row.Connection);
                var snapshots = await gateway.GetSnapshotsAsync(guest.Node, guest.VmId, guest.Type, ct);
                if (!snapshots.Any(s => !s.IsCurrent && s.Name == row.SnapshotName))
                {
                    await RemoveAsync(row.Id, ct);
                    gone++;
                    continue;
                }
                var upid = await gateway.DeleteSnapshotAsync(guest.Node, guest.VmId, guest.Type, row.SnapshotName, false, ct);
                tracker.Track(row.Connection, guest.Node, upid, Actor.System.UserName);
                // PVE refuses most things (a lock, a missing snapshot) inside the task: its exit status is the outcome.
                var task = await WaitAsync(gateway, guest.Node, upid, ct);
                if (task is { Succeeded: true })
                {
                    await WriteAuditAsync(new AuditRecord(Actor.System, Operation, SnapshotService.ResourceType, resourceId, true,
                        time.GetElapsedTime(started), guest.Node, row.Connection, details, Upid: upid));
                    await RemoveAsync(row.Id, CancellationToken.None);
                    deleted++;
                }
                else
                {
                    failed++;
                    var error = task is null ? "The deletion task did not finish in time; checking again next round." : task.ExitStatus ?? "unknown error";
                    _logger.LogWarning("Could not delete expired snapshot {Name} of VM {VmId} on {Connection}: {Error}", row.SnapshotName, row.VmId, row.Connection, error);
                    await WriteAuditAsync(new AuditRecord(Actor.System, Operation, SnapshotService.ResourceType, resourceId, false,
                        time.GetElapsedTime(started), guest.Node, row.Connection, details, error, upid));
                }
            }
            catch (ProxmoxException ex)
            {
                failed++;
                _logger.LogWarning("Could not delete expired snapshot {Name} of VM {VmId} on {Connection}: {Error}", row.SnapshotName, row.VmId, row.Connection, ex.Message);
                await WriteAuditAsync(new AuditRecord(Actor.System, Operation, SnapshotService.ResourceType, resourceId, false,
                    time.GetElapsedTime(started), guest.Node, row.Connection, details, ex.Message));
            }
        }
        return new ReapResult(expired.Count, deleted, gone, failed);
    }

    /// <summary>How long to wait between polls of a deletion task, and how many polls at most (then the next round decides).</summary>
    public TimeSpan TaskPollDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public int MaxTaskPolls { get; init; } = 240;

    private async Task<PveTask?> WaitAsync(IProxmoxGateway gateway, string node, string upid, CancellationToken ct)
    {
        for (var i = 0; i < MaxTaskPolls; i++)
        {
            if (i > 0) await Task.Delay(TaskPollDelay, time, ct);
            var task = await gateway.GetTaskStatusAsync(node, upid, ct);
            if (!task.Running) return task;
        }
        return null;
    }

    private async Task RemoveAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        db.SnapshotTtls.RemoveRange(await db.SnapshotTtls.Where(t => t.Id == id).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
    }

    private async Task WriteAuditAsync(AuditRecord record)
    {
        try
        {
            await audit.WriteAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for {ResourceId}", record.Operation, record.ResourceId);
        }
    }
}
