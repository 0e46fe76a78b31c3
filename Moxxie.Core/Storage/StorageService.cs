using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Storage;

/// <summary>Storage screens and GET /api/v1/storage: configuration (cached) joined with live usage from the inventory,
/// content browsing, streamed uploads (Operator+) and enable/disable (Admin), audited.</summary>
public sealed partial class StorageService(
    InventoryHub hub,
    IProxmoxConnections connections,
    StorageConfigCache configs,
    ITaskTracker tracker,
    IAuditLog audit,
    TimeProvider time,
    ILogger<StorageService>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<StorageService>.Instance;

    /// <summary>Largest file the UI streams to PVE in one upload (10 GiB: the biggest install ISOs are about 6 GiB).</summary>
    public const long MaxUploadBytes = 10L * 1024 * 1024 * 1024;

    [GeneratedRegex("^[A-Za-z0-9][-A-Za-z0-9_.+]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeFileName();

    /// <summary>Every storage of every connection (or of one), ordered by name; <paramref name="enabled"/> filters on the
    /// configuration's disable flag. A connection whose configuration cannot be read still lists what its inventory knows.</summary>
    public async Task<StorageList> ListAsync(bool? enabled, string? connection, CancellationToken ct)
    {
        var items = new List<StorageOverview>();
        var errors = new List<string>();
        var loading = false;
        foreach (var info in Connections(connection))
        {
            var snapshot = hub.Get(info.Name);
            if (snapshot is null || !snapshot.Loaded) loading = true;
            IReadOnlyList<StorageConfig>? cfgs = null;
            try
            {
                cfgs = await configs.GetAsync(info.Name, connections.Get(info.Name), ct);
            }
            catch (ProxmoxException ex)
            {
                errors.Add($"{info.Name}: {ex.Message}");
            }
            items.AddRange(Join(info.Name, cfgs, snapshot));
        }
        var filtered = items.Where(s => enabled is null || s.Enabled == enabled)
            .OrderBy(s => s.Storage, StringComparer.Ordinal).ThenBy(s => s.Connection, StringComparer.Ordinal).ToList();
        return new StorageList(filtered, errors, loading && items.Count == 0);
    }

    /// <summary>One storage, or null when unknown. Without a connection the first connection having it wins.</summary>
    public async Task<StorageOverview?> FindAsync(string? connection, string storage, CancellationToken ct)
    {
        var list = await ListAsync(null, connection, ct);
        return list.Items.FirstOrDefault(s => string.Equals(s.Storage, storage, StringComparison.Ordinal));
    }

    /// <summary>Joins configuration and inventory usage (pure; the unit tests call it directly).</summary>
    public static IReadOnlyList<StorageOverview> Join(string connection, IReadOnlyList<StorageConfig>? cfgs, InventorySnapshot? snapshot)
    {
        var resources = snapshot?.Resources.Storage ?? [];
        var allNodes = snapshot?.Cluster?.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal).ToList()
            ?? [.. resources.Select(r => r.Node).Distinct().Order(StringComparer.Ordinal)];
        var byName = resources.GroupBy(r => r.Storage, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var result = new List<StorageOverview>();
        var names = (cfgs?.Select(c => c.Storage) ?? []).Concat(byName.Keys).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var cfg = cfgs?.FirstOrDefault(c => c.Storage == name);
            var seen = byName.GetValueOrDefault(name) ?? [];
            var perNode = seen.OrderBy(r => r.Node, StringComparer.Ordinal)
                .Select(r => new StorageNodeUsage(r.Node, r.Status, r.MaxDisk, r.Disk)).ToList();
            var shared = cfg?.Shared ?? seen.Any(r => r.Shared);
            var nodes = cfg is { Nodes.Count: > 0 } ? [.. cfg.Nodes.Order(StringComparer.Ordinal)] : allNodes.Count > 0 ? allNodes : [.. perNode.Select(p => p.Node)];
            var active = perNode.Where(p => p.Active).ToList();
            long total, used;
            if (shared)
            {
                var one = active.FirstOrDefault() ?? perNode.FirstOrDefault();
                (total, used) = (one?.Total ?? 0, one?.Used ?? 0);
            }
            else
            {
                (total, used) = (active.Sum(p => p.Total), active.Sum(p => p.Used));
            }
            var content = cfg?.Content ?? seen.FirstOrDefault()?.Content ?? [];
            var type = cfg?.Type ?? seen.FirstOrDefault()?.PluginType ?? "unknown";
            result.Add(new StorageOverview(connection, name, type, [.. content.Order(StringComparer.Ordinal)], !(cfg?.Disabled ?? false),
                active.Count > 0, shared, total, used, nodes, perNode, cfg));
        }
        return result;
    }

    /// <summary>Everything on a storage as one node sees it: backups newest first, the rest by name.</summary>
    public async Task<IReadOnlyList<StorageContentItem>> ContentAsync(string connection, string storage, string node, CancellationToken ct)
    {
        var items = await connections.Get(connection).GetStorageContentAsync(node, storage, null, null, ct);
        return [.. items
            .OrderBy(i => StorageContentKinds.Browsable.ToList().IndexOf(StorageContentKinds.TabOf(i.Content)) is var k && k < 0 ? 99 : k)
            .ThenByDescending(i => i.Content == StorageContentKinds.Backup ? i.Created ?? DateTimeOffset.MinValue : DateTimeOffset.MinValue)
            .ThenBy(i => i.VolId, StringComparer.Ordinal)];
    }

    /// <summary>Usage trend of a storage as one node sees it (rrddata, averages).</summary>
    public async Task<IReadOnlyList<StorageUsagePoint>> HistoryAsync(string connection, string storage, string node, RrdTimeframe timeframe,
        CancellationToken ct) =>
        StorageUsagePoint.From(await connections.Get(connection).GetStorageRrdAsync(node, storage, timeframe, RrdConsolidation.Average, ct));

    /// <summary>Checks what PVE would refuse before any byte is sent (content type, storage supports it, file name and extension).</summary>
    public static void ValidateUpload(StorageOverview target, string content, string fileName, long? length)
    {
        var errors = new Dictionary<string, string>();
        if (!StorageContentKinds.CanUpload(content))
            errors["content"] = "Only ISO images (iso) and container templates (vztmpl) can be uploaded.";
        else if (!target.Supports(content))
            errors["content"] = $"Storage '{target.Storage}' does not hold {StorageContentKinds.Label(content)} (content: {string.Join(", ", target.Content)}).";
        if (string.IsNullOrWhiteSpace(fileName) || !SafeFileName().IsMatch(fileName))
            errors["filename"] = "Use letters, digits, '-', '_', '.' and '+' only (no spaces or paths).";
        else if (StorageContentKinds.CanUpload(content)
                 && !StorageContentKinds.UploadExtensions(content).Any(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            errors["filename"] = $"{StorageContentKinds.Label(content)} must end in {string.Join(", ", StorageContentKinds.UploadExtensions(content))}.";
        if (length is 0)
            errors["file"] = "The file is empty.";
        else if (length > MaxUploadBytes)
            errors["file"] = $"The file is larger than {MaxUploadBytes / (1024 * 1024 * 1024)} GiB.";
        if (!target.Enabled)
            errors["storage"] = $"Storage '{target.Storage}' is disabled.";
        if (errors.Count > 0) throw new ValidationException(errors.Values.First(), errors);
    }

    /// <summary>Streams <paramref name="data"/> to PVE (never buffered whole, never retried), reporting progress; tracks the
    /// import task and audits STORAGE_UPLOAD. Operators and Admins only.</summary>
    public async Task<StorageActionResult> UploadAsync(Actor actor, StorageUploadRequest request, Stream data, IProgress<UploadProgress>? progress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var details = new { storage = request.Storage, node = request.Node, content = request.Content, filename = request.FileName, size = request.Length };
        if (!actor.CanOperate)
        {
            var message = $"{actor.UserName} may not upload to storage (Viewer role).";
            await WriteAuditAsync(new AuditRecord(actor, "STORAGE_UPLOAD", "STORAGE", request.Storage, false, time.GetElapsedTime(started),
                request.Node, request.Connection, details, "Forbidden: " + message));
            throw new ForbiddenException(message);
        }
        var target = await FindAsync(request.Connection, request.Storage, ct)
            ?? throw new KeyNotFoundException($"Storage '{request.Storage}' not found on connection '{request.Connection}'.");
        ValidateUpload(target, request.Content, request.FileName, request.Length);
        if (!target.Nodes.Contains(request.Node, StringComparer.Ordinal))
            throw ValidationException.For("node", $"Node '{request.Node}' has no access to storage '{request.Storage}'.");

        try
        {
            var upid = await connections.Get(request.Connection).UploadAsync(request.Node, request.Storage, request.Content, request.FileName,
                data, request.Length, progress, ct);
            tracker.Track(request.Connection, request.Node, upid, actor.UserName);
            await WriteAuditAsync(new AuditRecord(actor, "STORAGE_UPLOAD", "STORAGE", request.Storage, true, time.GetElapsedTime(started),
                request.Node, request.Connection, details, Upid: upid));
            return new StorageActionResult(true, $"{request.FileName} uploaded to {request.Storage}.", upid);
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, "STORAGE_UPLOAD", "STORAGE", request.Storage, false, time.GetElapsedTime(started),
                request.Node, request.Connection, details, ex.Message));
            return new StorageActionResult(false, ex.Message);
        }
        catch (OperationCanceledException)
        {
            await WriteAuditAsync(new AuditRecord(actor, "STORAGE_UPLOAD", "STORAGE", request.Storage, false, time.GetElapsedTime(started),
                request.Node, request.Connection, details, "Cancelled"));
            throw;
        }
    }

    /// <summary>PUT /storage/{storage} disable=0|1 (Admin only), audited STORAGE_ENABLE / STORAGE_DISABLE; drops the cached configuration.</summary>
    public async Task<StorageActionResult> SetEnabledAsync(Actor actor, string connection, string storage, bool enabled, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var started = time.GetTimestamp();
        var operation = enabled ? "STORAGE_ENABLE" : "STORAGE_DISABLE";
        var verb = enabled ? "enable" : "disable";
        if (!actor.IsAdmin)
        {
            var message = $"{actor.UserName} may not {verb} storage (Admin role required).";
            await WriteAuditAsync(new AuditRecord(actor, operation, "STORAGE", storage, false, time.GetElapsedTime(started),
                Connection: connection, Error: "Forbidden: " + message));
            throw new ForbiddenException(message);
        }
        try
        {
            await connections.Get(connection).SetStorageEnabledAsync(storage, enabled, ct);
            configs.Invalidate(connection);
            await WriteAuditAsync(new AuditRecord(actor, operation, "STORAGE", storage, true, time.GetElapsedTime(started), Connection: connection));
            return new StorageActionResult(true, $"Storage {storage} {verb}d.");
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, "STORAGE", storage, false, time.GetElapsedTime(started),
                Connection: connection, Error: ex.Message));
            return new StorageActionResult(false, ex.Message);
        }
    }

    private IEnumerable<ConnectionInfo> Connections(string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection)) return connections.All;
        var name = connection.Trim();
        var match = connections.All.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return match.Count > 0 ? match : throw new KeyNotFoundException($"Unknown connection '{name}'.");
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
