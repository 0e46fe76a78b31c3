using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Snapshots;

/// <summary>Snapshots of one VM: the tree with TTLs, create (PVE's name rules checked first, TTL stored in Moxxie's
/// database and appended to the description), delete and rollback. Every action is audited with its UPID (or PVE's
/// error); Viewers are refused (the attempt audited). Unknown VM: <see cref="KeyNotFoundException"/>; PVE's refusal:
/// <see cref="ProxmoxException"/> with PVE's message.</summary>
public sealed class SnapshotService(
    VmService vms,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    IMoxxieDbFactory dbFactory,
    TimeProvider time,
    ILogger<SnapshotService>? logger = null)
{
    public const string ResourceType = "SNAPSHOT";
    private readonly ILogger _logger = logger ?? NullLogger<SnapshotService>.Instance;

    /// <summary>The VM's snapshots as a tree, with the TTLs Moxxie knows of.</summary>
    public async Task<SnapshotTree> GetTreeAsync(VmRef vm, CancellationToken ct)
    {
        var view = Require(vm);
        var entries = await connections.Get(view.Connection).GetSnapshotsAsync(view.Node, view.VmId, view.Guest.Type, ct);
        var ttls = await TtlsAsync(view.Connection, view.VmId, ct);
        return BuildTree(entries, ttls, time.GetUtcNow(), view.Status == "running");
    }

    public const string DiskSizeNotReported = "PVE's API reports no size for disk snapshots.";

    /// <summary>The size PVE reports for the snapshot: the RAM state volume's size from the storage's content list (snapshot
    /// config "vmstate" = storage:volume), or a note saying the storage reports none.</summary>
    public async Task<SnapshotSize> GetSizeAsync(VmRef vm, string name, CancellationToken ct)
    {
        var view = Require(vm);
        var gateway = connections.Get(view.Connection);
        var config = await gateway.GetSnapshotConfigAsync(view.Node, view.VmId, view.Guest.Type, name, ct);
        if (!config.TryGetValue("vmstate", out var volume) || volume.IndexOf(':', StringComparison.Ordinal) is not (> 0 and var colon))
            return new SnapshotSize(null, null, "Not reported by this storage: " + DiskSizeNotReported);
        var storage = volume[..colon];
        var content = await gateway.GetStorageContentAsync(view.Node, storage, null, view.VmId, ct);
        return content.FirstOrDefault(c => c.VolId == volume) is { } item
            ? new SnapshotSize(volume, item.Size, "RAM state only; " + DiskSizeNotReported)
            : new SnapshotSize(volume, null, $"Storage {storage} does not list the RAM state volume; " + DiskSizeNotReported);
    }

    /// <summary>Builds the tree: children under their parent (oldest first), snapshots whose parent is unknown as roots.</summary>
    public static SnapshotTree BuildTree(IReadOnlyList<Snapshot> entries, IReadOnlyList<SnapshotTtl> ttls, DateTimeOffset now, bool running)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var current = entries.FirstOrDefault(s => s.IsCurrent)?.Parent;
        var snaps = entries.Where(s => !s.IsCurrent).ToList();
        var names = snaps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var byParent = snaps.ToLookup(s => s.Parent is { } p && names.Contains(p) && p != s.Name ? p : null, StringComparer.Ordinal);
        var ttlByName = ttls.GroupBy(t => t.SnapshotName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        List<SnapshotNode> Build(string? parent, int depth) =>
            [.. byParent[parent!].OrderBy(s => s.Time ?? DateTimeOffset.MinValue).ThenBy(s => s.Name, StringComparer.Ordinal)
                .Where(s => seen.Add(s.Name))
                .Select(s => new SnapshotNode(s, Ttl(s.Name), Build(s.Name, depth + 1), s.Name == current, depth))];

        SnapshotTtlInfo? Ttl(string name) => ttlByName.TryGetValue(name, out var t)
            ? new SnapshotTtlInfo(t.TtlHours, t.ExpiresAt, t.ExpiresAt > now ? t.ExpiresAt - now : TimeSpan.Zero)
            : null;

        return new SnapshotTree(entries, Build(null, 0), current, running);
    }

    /// <summary>Creates the snapshot after checking name, description, RAM (running qemu only) and TTL; stores the TTL.</summary>
    public async Task<SnapshotActionResult> CreateAsync(Actor actor, VmRef vm, SnapshotCreate request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, vm, "SNAPSHOT_CREATE", request.Name, "create snapshots of", started);
        var view = Require(vm);
        var gateway = connections.Get(view.Connection);

        var errors = new Dictionary<string, string>();
        void Check(string field, string? error)
        {
            if (error is not null) errors[field] = error;
        }
        Check("name", SnapshotRules.NameError(request.Name));
        Check("description", SnapshotRules.DescriptionError(request.Description));
        Check("ttlHours", SnapshotRules.TtlError(request.TtlHours));
        if (request.IncludeRam && view.Guest.Type != GuestType.Qemu) errors["includeVMState"] = "RAM state is only saved for QEMU VMs.";
        else if (request.IncludeRam && view.Status != "running") errors["includeVMState"] = $"RAM state is only saved while the VM runs (it is {view.Status}).";
        if (errors.Count == 0)
        {
            var existing = await gateway.GetSnapshotsAsync(view.Node, view.VmId, view.Guest.Type, ct);
            Check("name", SnapshotRules.NameError(request.Name, existing.Where(s => !s.IsCurrent).Select(s => s.Name)));
        }
        if (errors.Count > 0) throw new ValidationException("The snapshot was not created: " + string.Join(" ", errors.Values), errors);

        var name = request.Name!;
        var description = SnapshotRules.PveDescription(request.Description, request.TtlHours);
        var details = new { vmid = view.VmId, snapshot = name, description, includeRam = request.IncludeRam, ttlHours = request.TtlHours };
        // The TTL is written before the POST (its intent): a crash between PVE creating the snapshot and Moxxie recording the
        // TTL must not leave a snapshot that lives for ever. A row whose snapshot never came is dropped by the reaper at expiry
        // (snapshot gone), or at once when PVE refuses the POST.
        var ttlId = await StoreTtlAsync(view, name, request.TtlHours, actor.UserName, null);
        string upid;
        try
        {
            upid = await CallAsync(actor, view, "SNAPSHOT_CREATE", name, details, started,
                () => gateway.CreateSnapshotAsync(view.Node, view.VmId, view.Guest.Type, new SnapshotRequest(name, description, request.IncludeRam), ct));
        }
        catch (ProxmoxException ex) when (ttlId is not null && ex.StatusCode is not (null or 502 or 503 or 504 or 595 or 596))
        {
            await RemoveTtlAsync(view.Connection, view.VmId, name);   // refused: no snapshot came of it
            throw;
        }
        if (ttlId is { } id) await SetTtlUpidAsync(id, upid);
        return new SnapshotActionResult(upid, "Snapshot creation started", view.Connection, view.Node);
    }

    /// <summary>Deletes the snapshot (and its TTL row).</summary>
    public async Task<SnapshotActionResult> DeleteAsync(Actor actor, VmRef vm, string name, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, vm, "SNAPSHOT_DELETE", name, "delete snapshots of", started);
        var view = Require(vm);
        if (SnapshotRules.NameError(name) is { } error) throw ValidationException.For("name", error);
        var upid = await CallAsync(actor, view, "SNAPSHOT_DELETE", name, new { vmid = view.VmId, snapshot = name }, started,
            () => connections.Get(view.Connection).DeleteSnapshotAsync(view.Node, view.VmId, view.Guest.Type, name, false, ct));
        await RemoveTtlAsync(view.Connection, view.VmId, name);
        return new SnapshotActionResult(upid, "Snapshot deletion started", view.Connection, view.Node);
    }

    /// <summary>Rolls the VM back to the snapshot (what happened since is lost), optionally starting it afterwards.</summary>
    public async Task<SnapshotActionResult> RollbackAsync(Actor actor, VmRef vm, string name, bool start, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, vm, "SNAPSHOT_ROLLBACK", name, "roll back", started);
        var view = Require(vm);
        if (SnapshotRules.NameError(name) is { } error) throw ValidationException.For("name", error);
        var upid = await CallAsync(actor, view, "SNAPSHOT_ROLLBACK", name, new { vmid = view.VmId, snapshot = name, start, previousStatus = view.Status }, started,
            () => connections.Get(view.Connection).RollbackSnapshotAsync(view.Node, view.VmId, view.Guest.Type, name, start, ct));
        return new SnapshotActionResult(upid, "Snapshot rollback started", view.Connection, view.Node);
    }

    private VmView Require(VmRef vm) => vms.Find(vm)
        ?? throw new KeyNotFoundException(vm.Connection is null ? $"VM {vm.VmId} not found." : $"VM {vm.VmId} not found on connection '{vm.Connection}'.");

    private async Task RequireOperatorAsync(Actor actor, VmRef vm, string operation, string? name, string verb, long started)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(vm);
        if (actor.CanOperate) return;
        var message = $"{actor.UserName} may not {verb} VMs (Viewer role).";
        await WriteAuditAsync(new AuditRecord(actor, operation, ResourceType, ResourceId(vm.VmId, name), false, time.GetElapsedTime(started),
            Connection: vm.Connection, Details: new { vmid = vm.VmId, snapshot = name }, Error: "Forbidden: " + message));
        throw new ForbiddenException(message);
    }

    private async Task<string> CallAsync(Actor actor, VmView view, string operation, string name, object details, long started, Func<Task<string>> call)
    {
        string upid;
        try
        {
            upid = await call();
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, ResourceType, ResourceId(view.VmId, name), false, time.GetElapsedTime(started),
                view.Node, view.Connection, details, ex.Message));
            throw;
        }
        tracker.Track(view.Connection, view.Node, upid, actor.UserName);
        await WriteAuditAsync(new AuditRecord(actor, operation, ResourceType, ResourceId(view.VmId, name), true, time.GetElapsedTime(started),
            view.Node, view.Connection, details, Upid: upid));
        return upid;
    }

    internal static string ResourceId(int vmId, string? name) =>
        string.IsNullOrEmpty(name) ? vmId.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{vmId}/{Truncate(name, 100)}");

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    private async Task<IReadOnlyList<SnapshotTtl>> TtlsAsync(string connection, int vmId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.SnapshotTtls.AsNoTracking().Where(t => t.Connection == connection && t.VmId == vmId).ToListAsync(ct);
    }

    /// <summary>Replaces any earlier row of the same name (a snapshot deleted outside Moxxie and created again); returns the
    /// new row's id (null without TTL).</summary>
    private async Task<long?> StoreTtlAsync(VmView view, string name, int? hours, string user, string? upid)
    {
        // Recorded even if the caller gives up waiting: the POST follows.
        await using var db = await dbFactory.CreateAsync(CancellationToken.None);
        var old = await db.SnapshotTtls.Where(t => t.Connection == view.Connection && t.VmId == view.VmId && t.SnapshotName == name).ToListAsync();
        db.SnapshotTtls.RemoveRange(old);
        SnapshotTtl? row = null;
        if (hours is { } h)
        {
            var now = time.GetUtcNow();
            row = new SnapshotTtl
            {
                Connection = view.Connection, VmId = view.VmId, SnapshotName = name, TtlHours = h,
                CreatedAt = now, ExpiresAt = now.AddHours(h), CreatedBy = user, Upid = upid,
            };
            db.SnapshotTtls.Add(row);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return row?.Id;
    }

    private async Task SetTtlUpidAsync(long id, string upid)
    {
        try
        {
            await using var db = await dbFactory.CreateAsync(CancellationToken.None);
            if (await db.SnapshotTtls.FirstOrDefaultAsync(t => t.Id == id) is { } row)
            {
                row.Upid = upid;
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The TTL itself is stored; only the creating task's id is missing.
            _logger.LogWarning(ex, "Could not record the UPID {Upid} on TTL row {Id}", upid, id);
        }
    }

    private async Task RemoveTtlAsync(string connection, int vmId, string name)
    {
        try
        {
            await using var db = await dbFactory.CreateAsync(CancellationToken.None);
            db.SnapshotTtls.RemoveRange(await db.SnapshotTtls.Where(t => t.Connection == connection && t.VmId == vmId && t.SnapshotName == name).ToListAsync());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The reaper finds the snapshot gone and drops the row itself.
            _logger.LogWarning(ex, "Could not remove the TTL of snapshot {Name} of VM {VmId}", name, vmId);
        }
    }

    private async Task WriteAuditAsync(AuditRecord record)
    {
        try
        {
            await audit.WriteAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for {ResourceType} {ResourceId}", record.Operation, record.ResourceType, record.ResourceId);
        }
    }
}
