using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Storage;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Backups;

/// <summary>
/// Backups across connections and storages: the list (storage and VM filters), details (the configuration PVE extracts
/// from the archive), backup now (vzdump; the task is tracked), delete (refused while protected, here and by PVE),
/// protect/unprotect, notes, the retention policy of a backup storage (prune-backups), prune preview and prune.
/// Operators and Admins act (the retention policy, a datacenter setting, is Admin only); Viewers are refused and the
/// attempt audited. Every change is audited with the UPID it produced or PVE's message. Unknown VM/storage/backup:
/// <see cref="KeyNotFoundException"/>; bad input: <see cref="ValidationException"/>; PVE's refusal: <see cref="ProxmoxException"/>.
/// </summary>
public sealed class BackupService(
    VmService vms,
    StorageService storage,
    StorageConfigCache configs,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    TimeProvider time,
    ILogger<BackupService>? logger = null)
{
    public const string ResourceType = "BACKUP";
    private readonly ILogger _logger = logger ?? NullLogger<BackupService>.Instance;

    // ---- reading -------------------------------------------------------------------------------------------

    /// <summary>Enabled storages with backup content, with the nodes they are read through and their retention policy.</summary>
    public async Task<IReadOnlyList<BackupStorage>> StoragesAsync(string? connection, CancellationToken ct)
    {
        var list = await storage.ListAsync(true, connection, ct);
        return [.. list.Items.Where(s => s.Supports(StorageContentKinds.Backup)).Select(ToBackupStorage)];
    }

    /// <summary>The backup storage of that name (the only connection having it when none is named).</summary>
    public async Task<BackupStorage> RequireStorageAsync(string? connection, string name, CancellationToken ct)
    {
        var matches = (await StoragesAsync(connection, ct)).Where(s => string.Equals(s.Storage, name, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            0 => throw new KeyNotFoundException(connection is null
                ? $"Backup storage '{name}' not found." : $"Backup storage '{name}' not found on connection '{connection}'."),
            1 => matches[0],
            _ => throw ValidationException.For("connection",
                $"Storage '{name}' exists on several connections ({string.Join(", ", matches.Select(m => m.Connection))}); name the connection."),
        };
    }

    private static BackupStorage ToBackupStorage(StorageOverview s)
    {
        var active = s.PerNode.Where(p => p.Active).Select(p => p.Node).ToList();
        return new BackupStorage(s.Connection, s.Storage, s.Type, s.Shared, active, s.Config?.PruneBackups, s.Enabled);
    }

    /// <summary>The nodes whose listing covers every backup of the storage: one for shared storage, each active node otherwise.</summary>
    public static IReadOnlyList<string> ReadNodes(BackupStorage s) => s.Shared ? [.. s.Nodes.Take(1)] : s.Nodes;

    /// <summary>Backups newest first. A storage PVE cannot list is reported in <see cref="BackupList.Errors"/>, the rest still listed.</summary>
    public async Task<BackupList> ListAsync(BackupQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var storages = await StoragesAsync(query.Connection, ct);
        if (query.Storage is { } only)
        {
            storages = [.. storages.Where(s => string.Equals(s.Storage, only, StringComparison.Ordinal))];
            if (storages.Count == 0) throw new KeyNotFoundException($"Backup storage '{only}' not found.");
        }
        var reads = storages.SelectMany(s => ReadNodes(s).Select(node => ReadAsync(s, node))).ToList();
        var results = await Task.WhenAll(reads);
        var errors = results.Where(r => r.Error is not null).Select(r => r.Error!).ToList();
        errors.AddRange(storages.Where(s => s.Nodes.Count == 0).Select(s => $"{s.Storage}: not active on any node."));
        var items = results.SelectMany(r => r.Items)
            .OrderByDescending(i => i.Created ?? DateTimeOffset.MinValue).ThenBy(i => i.VolId, StringComparer.Ordinal).ThenBy(i => i.Node, StringComparer.Ordinal)
            .ToList();
        return new BackupList(items, storages, errors);

        async Task<(IReadOnlyList<BackupItem> Items, string? Error)> ReadAsync(BackupStorage s, string node)
        {
            try
            {
                var content = await connections.Get(s.Connection).GetStorageContentAsync(node, s.Storage, StorageContentKinds.Backup, query.VmId, ct);
                return ([.. content.Where(c => c.Content == StorageContentKinds.Backup).Select(c => Item(s, node, c))], null);
            }
            catch (ProxmoxException ex)
            {
                return ([], $"{s.Storage} on {node}: {ex.Message}");
            }
        }
    }

    /// <summary>Backups of one VM on every backup storage of its connection.</summary>
    public async Task<BackupList> ListForVmAsync(VmRef vm, CancellationToken ct)
    {
        var view = RequireVm(vm);
        return await ListAsync(new BackupQuery(view.Connection, null, view.VmId), ct);
    }

    private BackupItem Item(BackupStorage s, string node, StorageContentItem c)
    {
        var vmid = c.VmId ?? BackupItem.VmIdOf(c.VolId);
        string? name = null;
        if (vmid is { } id)
        {
            try { name = vms.Find(new VmRef(id, s.Connection))?.Name; }
            catch (ValidationException) { }
        }
        return new BackupItem(s.Connection, s.Storage, node, s.Shared, c, name);
    }

    /// <summary>The backup, or null when no node lists it.</summary>
    public async Task<BackupItem?> FindAsync(BackupRef backup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var s = await RequireStorageAsync(backup.Connection, backup.Storage, ct);
        if (backup.Node is { } n && !s.AvailableOn(n))
            throw ValidationException.For("node", $"Storage '{s.Storage}' is not active on node '{n}' (nodes: {string.Join(", ", s.Nodes)}).");
        var volid = backup.VolId;
        if (!volid.StartsWith(s.Storage + ":", StringComparison.Ordinal))
            throw ValidationException.For("volume", $"Volume '{volid}' is not on storage '{s.Storage}'.");
        var nodes = backup.Node is { } only ? [only] : ReadNodes(s);
        var gateway = connections.Get(s.Connection);
        foreach (var node in nodes)
        {
            var content = await gateway.GetStorageContentAsync(node, s.Storage, StorageContentKinds.Backup, BackupItem.VmIdOf(volid), ct);
            if (content.FirstOrDefault(c => c.VolId == volid) is { } found) return Item(s, node, found);
        }
        return null;
    }

    public async Task<BackupItem> RequireAsync(BackupRef backup, CancellationToken ct) =>
        await FindAsync(backup, ct) ?? throw new KeyNotFoundException($"Backup '{backup.VolId}' not found.");

    /// <summary>The archive with its path and the guest configuration at backup time (a failed extraction is reported in
    /// <see cref="BackupDetails.ConfigError"/> with PVE's message; the rest is still shown).</summary>
    public async Task<BackupDetails> GetDetailsAsync(BackupRef backup, CancellationToken ct)
    {
        var item = await RequireAsync(backup, ct);
        var gateway = connections.Get(item.Connection);
        var volumeTask = TryAsync(() => gateway.GetVolumeAsync(item.Node, item.Storage, item.VolId, ct));
        var configTask = TryAsync(() => gateway.ExtractBackupConfigAsync(item.Node, item.VolId, ct));
        var (volume, _) = await volumeTask;
        var (text, configError) = await configTask;
        var (config, description) = BackupRules.ParseConfig(text);
        return new BackupDetails(item, volume?.Path, config, description, text ?? "", configError);

        static async Task<(T? Value, string? Error)> TryAsync<T>(Func<Task<T>> call) where T : class
        {
            try { return (await call(), null); }
            catch (ProxmoxException ex) { return (null, ex.Message); }
        }
    }

    /// <summary>The configuration at backup time; PVE's refusal as <see cref="ProxmoxException"/>.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GetConfigAsync(BackupRef backup, CancellationToken ct)
    {
        var item = await RequireAsync(backup, ct);
        var text = await connections.Get(item.Connection).ExtractBackupConfigAsync(item.Node, item.VolId, ct);
        return BackupRules.ParseConfig(text).Config;
    }

    // ---- actions -------------------------------------------------------------------------------------------

    /// <summary>vzdump of one VM on its node to a backup storage that node reaches; returns the UPID (tracked).</summary>
    public async Task<BackupActionResult> BackupNowAsync(Actor actor, VmRef vm, BackupNowRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var resourceId = vm.VmId.ToString(CultureInfo.InvariantCulture);
        await RequireOperatorAsync(actor, "BACKUP_CREATE", resourceId, vm.Connection, "back up VMs", started, new { vmid = vm.VmId, storage = request.Storage });
        var view = RequireVm(vm);

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (BackupRules.ModeError(request.Mode) is { } modeError) errors["mode"] = modeError;
        if (BackupRules.CompressError(request.Compress) is { } compressError) errors["compress"] = compressError;
        if (BackupRules.NotesError(request.Notes) is { } notesError) errors["notes"] = notesError;
        if (string.IsNullOrWhiteSpace(request.Storage))
            errors["storage"] = "Choose a backup storage.";
        else
        {
            var target = (await StoragesAsync(view.Connection, ct)).FirstOrDefault(s => s.Storage == request.Storage);
            if (target is null)
                errors["storage"] = $"'{request.Storage}' is not an enabled backup storage of {view.Connection}.";
            else if (!target.Shared && !target.AvailableOn(view.Node) || target.Shared && target.Nodes.Count > 0 && !target.AvailableOn(view.Node))
                errors["storage"] = $"Storage '{request.Storage}' is not available on {view.Node}, where {view.Name} runs.";
        }
        if (errors.Count > 0) throw new ValidationException("The backup was not started: " + string.Join(" ", errors.Values), errors);

        var vzdump = new VzdumpRequest([view.VmId])
        {
            Storage = request.Storage, Mode = request.Mode ?? "snapshot", Compress = BackupRules.PveCompress(request.Compress),
            NotesTemplate = BackupRules.NotesTemplate(request.Notes), Protected = request.Protected ? true : null,
        };
        var details = new { vmid = view.VmId, storage = request.Storage, mode = vzdump.Mode, compress = request.Compress ?? "none", notes = request.Notes, @protected = request.Protected };
        var gateway = connections.Get(view.Connection);
        var upid = await CallAsync(actor, "BACKUP_CREATE", resourceId, view.Connection, view.Node, details, started,
            async () => await gateway.VzdumpAsync(view.Node, vzdump, ct));
        return new BackupActionResult(upid!, $"Backup of {view.Name} ({view.VmId}) to {request.Storage} started", view.Connection, view.Node);
    }

    /// <summary>Deletes the archive. A protected backup is refused before PVE is asked, with PVE's own words.</summary>
    public async Task<BackupActionResult> DeleteAsync(Actor actor, BackupRef backup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, "BACKUP_DELETE", backup.VolId, backup.Connection, "delete backups", started, new { volid = backup.VolId });
        var item = await RequireAsync(backup, ct);
        var details = new { volid = item.VolId, vmid = item.VmId, storage = item.Storage, node = item.Node };
        if (item.Protected)
        {
            var message = $"cannot remove protected volume '{item.Volume}' on '{item.Storage}'";
            await WriteAuditAsync(new AuditRecord(actor, "BACKUP_DELETE", ResourceType, Id(item.VolId), false, time.GetElapsedTime(started),
                item.Node, item.Connection, details, "Refused: " + message));
            throw new BackupProtectedException(message);
        }
        var gateway = connections.Get(item.Connection);
        var upid = await CallAsync(actor, "BACKUP_DELETE", item.VolId, item.Connection, item.Node, details, started,
            () => gateway.DeleteVolumeAsync(item.Node, item.Storage, item.VolId, ct));
        return new BackupActionResult(upid ?? "", $"Deletion of {item.FileName} started", item.Connection, item.Node);
    }

    /// <summary>Marks the backup protected (prune and delete leave it alone) or removes the mark.</summary>
    public async Task<BackupItem> SetProtectedAsync(Actor actor, BackupRef backup, bool isProtected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var started = time.GetTimestamp();
        var operation = isProtected ? "BACKUP_PROTECT" : "BACKUP_UNPROTECT";
        await RequireOperatorAsync(actor, operation, backup.VolId, backup.Connection, isProtected ? "protect backups" : "unprotect backups", started,
            new { volid = backup.VolId });
        var item = await RequireAsync(backup, ct);
        var gateway = connections.Get(item.Connection);
        await CallAsync(actor, operation, item.VolId, item.Connection, item.Node, new { volid = item.VolId, @protected = isProtected, before = item.Protected }, started,
            async () => { await gateway.UpdateVolumeAsync(item.Node, item.Storage, item.VolId, null, isProtected, ct); return (string?)null; });
        return item with { Content = item.Content with { Protected = isProtected } };
    }

    /// <summary>Replaces the backup's notes (empty removes them).</summary>
    public async Task<BackupItem> SetNotesAsync(Actor actor, BackupRef backup, string? notes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, "BACKUP_NOTES", backup.VolId, backup.Connection, "edit backup notes", started, new { volid = backup.VolId });
        if (BackupRules.EditedNotesError(notes) is { } error) throw ValidationException.For("notes", error);
        var item = await RequireAsync(backup, ct);
        var text = (notes ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        var gateway = connections.Get(item.Connection);
        await CallAsync(actor, "BACKUP_NOTES", item.VolId, item.Connection, item.Node, new { volid = item.VolId, notes = text, before = item.Notes }, started,
            async () => { await gateway.UpdateVolumeAsync(item.Node, item.Storage, item.VolId, text, null, ct); return (string?)null; });
        return item with { Content = item.Content with { Notes = text.Length == 0 ? null : text } };
    }

    // ---- retention and prune -------------------------------------------------------------------------------

    /// <summary>Writes the storage's prune-backups (null, or no counts without keep-all: the policy is removed). Admin only.</summary>
    public async Task<BackupStorage> SetRetentionAsync(Actor actor, string? connection, string storageName, RetentionPolicy? policy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var started = time.GetTimestamp();
        if (!actor.IsAdmin)
        {
            var message = $"{actor.UserName} may not change retention policies (Admin role required).";
            await WriteAuditAsync(new AuditRecord(actor, "STORAGE_RETENTION", "STORAGE", storageName, false, time.GetElapsedTime(started),
                Connection: connection, Details: new { policy = policy?.ToString() }, Error: "Forbidden: " + message));
            throw new ForbiddenException(message);
        }
        var s = await RequireStorageAsync(connection, storageName, ct);
        if (policy is not null)
        {
            var errors = BackupRules.RetentionErrors(policy);
            if (errors.Count > 0) throw new ValidationException("The retention policy was not saved: " + string.Join(" ", errors.Values.Distinct()), errors);
            if (!policy.KeepAll && !BackupRules.HasCounts(policy)) policy = null;
        }
        var details = new { policy = policy?.ToString(), before = s.Retention?.ToString() };
        try
        {
            await connections.Get(s.Connection).SetStorageRetentionAsync(s.Storage, policy, ct);
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, "STORAGE_RETENTION", "STORAGE", s.Storage, false, time.GetElapsedTime(started),
                Connection: s.Connection, Details: details, Error: ex.Message));
            throw;
        }
        configs.Invalidate(s.Connection);
        await WriteAuditAsync(new AuditRecord(actor, "STORAGE_RETENTION", "STORAGE", s.Storage, true, time.GetElapsedTime(started),
            Connection: s.Connection, Details: details));
        return s with { Retention = policy };
    }

    /// <summary>PVE's dry run: what the policy (the storage's own when null) keeps and removes, on every node holding the storage's backups.</summary>
    public async Task<PrunePreview> PreviewPruneAsync(string? connection, string storageName, RetentionPolicy? policy, int? vmId, CancellationToken ct)
    {
        var s = await RequireStorageAsync(connection, storageName, ct);
        CheckPolicy(policy);
        var gateway = connections.Get(s.Connection);
        var lines = new List<PruneLine>();
        foreach (var node in ReadNodes(s))
        {
            var entries = await gateway.PruneBackupsDryRunAsync(node, s.Storage, new PruneRequest(policy, vmId), ct);
            lines.AddRange(entries.Select(e => new PruneLine(node, e)));
        }
        return new PrunePreview(s.Connection, s.Storage, policy ?? s.Retention,
            [.. lines.OrderBy(l => l.Entry.VmId ?? int.MaxValue).ThenByDescending(l => l.Entry.Created ?? DateTimeOffset.MinValue).ThenBy(l => l.Node, StringComparer.Ordinal)]);
    }

    /// <summary>Runs the prune (one task per node holding the storage's backups), each UPID tracked and audited.</summary>
    public async Task<PruneResult> PruneAsync(Actor actor, string? connection, string storageName, RetentionPolicy? policy, int? vmId, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, "BACKUP_PRUNE", storageName, connection, "prune backups", started, new { storage = storageName, policy = policy?.ToString() });
        var s = await RequireStorageAsync(connection, storageName, ct);
        CheckPolicy(policy);
        var gateway = connections.Get(s.Connection);
        var tasks = new List<BackupActionResult>();
        foreach (var node in ReadNodes(s))
        {
            var details = new { storage = s.Storage, node, vmid = vmId, policy = (policy ?? s.Retention)?.ToString() };
            var upid = await CallAsync(actor, "BACKUP_PRUNE", s.Storage, s.Connection, node, details, started,
                async () => await gateway.PruneBackupsAsync(node, s.Storage, new PruneRequest(policy, vmId), ct), resourceType: "STORAGE");
            tasks.Add(new BackupActionResult(upid!, $"Prune of {s.Storage} on {node} started", s.Connection, node));
        }
        return new PruneResult(s.Connection, s.Storage, tasks);
    }

    private static void CheckPolicy(RetentionPolicy? policy)
    {
        if (policy is null) return;
        var errors = BackupRules.RetentionErrors(policy);
        if (errors.Count > 0) throw new ValidationException(string.Join(" ", errors.Values.Distinct()), errors);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private VmView RequireVm(VmRef vm) => vms.Find(vm)
        ?? throw new KeyNotFoundException(vm.Connection is null ? $"VM {vm.VmId} not found." : $"VM {vm.VmId} not found on connection '{vm.Connection}'.");

    private async Task RequireOperatorAsync(Actor actor, string operation, string resourceId, string? connection, string verb, long started, object details)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.CanOperate) return;
        var message = $"{actor.UserName} may not {verb} (Viewer role).";
        await WriteAuditAsync(new AuditRecord(actor, operation, ResourceType, Id(resourceId), false, time.GetElapsedTime(started),
            Connection: connection, Details: details, Error: "Forbidden: " + message));
        throw new ForbiddenException(message);
    }

    /// <summary>Calls PVE; tracks and audits the UPID (when the call produced one), or audits PVE's error and rethrows.</summary>
    private async Task<string?> CallAsync(Actor actor, string operation, string resourceId, string connection, string node, object details, long started,
        Func<Task<string?>> call, string resourceType = ResourceType)
    {
        string? upid;
        try
        {
            upid = await call();
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, resourceType, Id(resourceId), false, time.GetElapsedTime(started), node, connection, details, ex.Message));
            throw;
        }
        if (upid is not null) tracker.Track(connection, node, upid, actor.UserName);
        await WriteAuditAsync(new AuditRecord(actor, operation, resourceType, Id(resourceId), true, time.GetElapsedTime(started), node, connection, details, Upid: upid));
        return upid;
    }

    private static string Id(string resourceId) => resourceId.Length <= 128 ? resourceId : resourceId[..128];

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
