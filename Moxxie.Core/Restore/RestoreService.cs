using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Backups;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Restore;

/// <summary>
/// Restores a QEMU backup (PVE's qmrestore: POST /nodes/{node}/qemu with <c>archive</c>). <see cref="PlanAsync"/> reads the
/// backup's config (extractconfig) and lists where it can go; <see cref="RestoreAsync"/> checks the request against that
/// plan (VALIDATION_ERROR per field), then starts the restore, tracks and audits the UPID (BACKUP_RESTORE).
/// Target VMID: the next free one, any absent one, or an existing VM overwritten (PVE force=1) only when its name or VMID
/// was typed as confirmation. Storage: PVE's restore takes one target storage for every disk (no per-disk target; drive
/// keys conflict with <c>archive</c>), so a request names one storage or none (each disk back on its backed-up storage).
/// Bridges: a NIC moved to another bridge is passed as a <c>netN</c> override with the restore call (PVE merges call
/// parameters over the archive's config), keeping its MAC unless unique MACs were asked for.
/// </summary>
public sealed partial class RestoreService(
    VmService vms,
    InventoryHub hub,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    TimeProvider time,
    ILogger<RestoreService>? logger = null)
{
    public const string Operation = "BACKUP_RESTORE";
    public const string ResourceType = "VM";
    private readonly ILogger _logger = logger ?? NullLogger<RestoreService>.Instance;

    /// <summary>PVE's dns-name format (a VM name): labels of letters, digits and hyphens separated by dots.</summary>
    [GeneratedRegex(@"^(?=.{1,255}$)([a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9\-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsName();

    [GeneratedRegex(@"^(?<model>[a-z0-9_-]+)=(?<mac>([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelWithMac();

    /// <summary>Reads the backup and lists the targets. Unknown connection or unreadable archive: <see cref="ValidationException"/>
    /// on "connection"/"volid"; PVE's refusal of extractconfig on every node: <see cref="ProxmoxException"/>.</summary>
    public async Task<RestorePlan> PlanAsync(BackupRef backup, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var archive = BackupArchiveName.Parse(backup.VolId) ?? throw ValidationException.For("volid", "Give the backup's volume id (storage:backup/vzdump-qemu-….vma.zst).");
        if (archive.Type == GuestType.Lxc)
            throw ValidationException.For("volid", $"{archive.VolId} is a container backup; the restore wizard restores QEMU VMs only.");
        var connection = ResolveConnection(backup.Connection, archive);
        var snapshot = hub.Get(connection) ?? throw ValidationException.For("connection", $"Connection '{connection}' has no inventory yet; try again in a moment.");
        var gateway = connections.Get(connection);
        var online = snapshot.Resources.Nodes.Where(n => n.Status == "online").Select(n => n.Node).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var withStorage = snapshot.Resources.Storage.Where(s => s.Storage == archive.Storage && s.Status == "available" && online.Contains(s.Node))
            .Select(s => s.Node).Distinct().ToList();
        var shared = snapshot.Resources.Storage.Any(s => s.Storage == archive.Storage && s.Shared);
        var backedUp = archive.VmId is { } id ? vms.Find(new VmRef(id, connection)) : null;

        // The node that reads the archive: the one asked for, else the backed-up VM's node, else any node with the storage.
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(backup.Node)) candidates.Add(backup.Node.Trim());
        else
        {
            if (backedUp is not null && withStorage.Contains(backedUp.Node)) candidates.Add(backedUp.Node);
            candidates.AddRange(withStorage.Where(n => !candidates.Contains(n)));
        }
        if (candidates.Count == 0)
            throw ValidationException.For("volid", $"No online node of {connection} has storage '{archive.Storage}' available.");

        string? text = null;
        string? sourceNode = null;
        ProxmoxException? last = null;
        foreach (var node in candidates.Take(shared ? 1 : 4))
        {
            try
            {
                text = await gateway.ExtractBackupConfigAsync(node, archive.VolId, ct);
                sourceNode = node;
                break;
            }
            catch (ProxmoxException ex)
            {
                last = ex;
            }
        }
        if (sourceNode is null) throw last!;

        var raw = BackupArchiveName.ParseConfigText(text);
        var config = GuestConfig.Parse(archive.VmId ?? 0, GuestType.Qemu, raw);
        var disks = config.Disks.Where(d => !d.IsCdrom && !d.IsUnused && d.Storage is not null && !d.Volume.Contains("cloudinit", StringComparison.Ordinal))
            .Select(d => new RestoreDisk(d.Key, d.Storage, d.SizeBytes, d.Size)).ToList();
        var nics = config.Nics.Select(n => new RestoreNic(n.Key, n.Model, n.MacAddress, n.Bridge, n.VlanTag, raw.GetValueOrDefault(n.Key) ?? "")).ToList();
        var existing = archive.VmId is { } vmid ? snapshot.Resources.Guests.FirstOrDefault(g => g.VmId == vmid) is { } g ? new VmView(connection, g) : null : null;

        var targets = shared ? withStorage.OrderBy(n => n, StringComparer.Ordinal).ToList() : [sourceNode];
        var nodes = await Task.WhenAll(targets.Select(n => TargetAsync(gateway, n, ct)));
        var next = await gateway.GetNextVmIdAsync(null, ct);
        return new RestorePlan(connection, archive, sourceNode, config, disks, nics, existing, next, nodes);
    }

    private static async Task<RestoreTargetNode> TargetAsync(IProxmoxGateway gateway, string node, CancellationToken ct)
    {
        try
        {
            var storages = gateway.GetNodeStorageAsync(node, new StorageQuery(Content: "images", Enabled: true), ct);
            var network = gateway.GetNetworkAsync(node, "any_bridge", ct);
            return new RestoreTargetNode(node,
                [.. (await storages).Where(s => s.Active && s.Content.Contains("images")).OrderBy(s => s.Storage, StringComparer.Ordinal)],
                [.. (await network).Interfaces.Select(i => i.Iface).Order(StringComparer.Ordinal)]);
        }
        catch (ProxmoxException ex)
        {
            return new RestoreTargetNode(node, [], [], ex.Message);
        }
    }

    private string ResolveConnection(string? requested, BackupArchiveName archive)
    {
        var names = connections.All.Select(c => c.Name).ToList();
        if (!string.IsNullOrWhiteSpace(requested))
            return names.FirstOrDefault(n => string.Equals(n, requested.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw ValidationException.For("connection", $"Unknown connection '{requested}'.");
        if (names.Count == 1) return names[0];
        var withStorage = hub.Snapshots.Where(s => s.Resources.Storage.Any(st => st.Storage == archive.Storage)).Select(s => s.Connection).ToList();
        return withStorage.Count == 1
            ? withStorage[0]
            : throw ValidationException.For("connection", $"Name the connection: storage '{archive.Storage}' is on {(withStorage.Count == 0 ? "none" : string.Join(", ", withStorage))}.");
    }

    /// <summary>Checks the request against a fresh plan and starts the restore. Viewers are refused (audited).</summary>
    public async Task<RestoreResult> RestoreAsync(Actor actor, RestoreRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        if (!actor.CanOperate)
        {
            var message = $"{actor.UserName} may not restore backups (Viewer role).";
            await WriteAuditAsync(new AuditRecord(actor, Operation, ResourceType, request.VmId?.ToString(CultureInfo.InvariantCulture), false,
                time.GetElapsedTime(started), request.Node, request.Connection, new { volid = request.VolId }, "Forbidden: " + message));
            throw new ForbiddenException(message);
        }

        var plan = await PlanAsync(BackupRef.FromVolId(request.VolId ?? "", request.Connection, request.SourceNode), ct);
        var (vmId, force, target, overrides) = await CheckAsync(plan, request, ct);
        var gateway = connections.Get(plan.Connection);
        var call = new RestoreVmRequest(vmId, plan.Archive.VolId)
        {
            Storage = string.IsNullOrWhiteSpace(request.Storage) ? null : request.Storage.Trim(),
            Force = force ? true : null,
            Unique = request.UniqueMacs ? true : null,
            Start = request.Start ? true : null,
            Other = overrides,
        };
        var details = new
        {
            volid = plan.Archive.VolId, vmid = vmId, sourceVmid = plan.BackupVmId, node = target.Node, storage = call.Storage,
            overwrite = force, overwritten = force ? hub.Get(plan.Connection)?.Resources.Guests.FirstOrDefault(g => g.VmId == vmId)?.Name : null, bridges = overrides, unique = request.UniqueMacs, start = request.Start,
        };
        string upid;
        try
        {
            upid = await gateway.RestoreVmAsync(target.Node, call, ct);
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, Operation, ResourceType, vmId.ToString(CultureInfo.InvariantCulture), false,
                time.GetElapsedTime(started), target.Node, plan.Connection, details, ex.Message));
            throw;
        }
        tracker.Track(plan.Connection, target.Node, upid, actor.UserName);
        await WriteAuditAsync(new AuditRecord(actor, Operation, ResourceType, vmId.ToString(CultureInfo.InvariantCulture), true,
            time.GetElapsedTime(started), target.Node, plan.Connection, details, Upid: upid));
        var estimate = (int)Math.Clamp(plan.TotalDiskBytes / (200.0 * 1024 * 1024), 10, 3600);
        return new RestoreResult(upid, $"Restore of {plan.Archive.VolId} to VM {vmId} started", plan.Connection, target.Node, vmId, estimate);
    }

    /// <summary>The checks of a request against a plan: VMID (free, or overwrite confirmed), node, storage, bridges, name.
    /// Returns the VMID, whether PVE must force, the target node and the config overrides; throws VALIDATION_ERROR.</summary>
    private async Task<(int VmId, bool Force, RestoreTargetNode Target, Dictionary<string, string> Overrides)> CheckAsync(
        RestorePlan plan, RestoreRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var snapshot = hub.Get(plan.Connection);

        // target node
        var vmId = request.VmId ?? plan.NextFreeVmId;
        var taken = snapshot?.Resources.Guests.FirstOrDefault(g => g.VmId == vmId);
        var nodeName = !string.IsNullOrWhiteSpace(request.Node) ? request.Node.Trim()
            : request.Overwrite && taken is not null && plan.Node(taken.Node) is not null ? taken.Node : plan.SourceNode;
        var target = plan.Node(nodeName);
        if (target is null)
            errors["node"] = $"Node '{nodeName}' cannot restore this backup (online nodes that see storage '{plan.Archive.Storage}': {string.Join(", ", plan.Nodes.Select(n => n.Node))}).";
        else if (target.Error is not null)
            errors["node"] = $"Node '{nodeName}' did not list its storages or bridges: {target.Error}";

        // VMID
        var force = false;
        if (vmId is < 100 or > 999_999_999) errors["vmId"] = "A VMID is between 100 and 999999999.";
        else if (taken is not null)
        {
            if (!request.Overwrite)
                errors["vmId"] = $"VM {vmId} ({taken.Name}) exists on {taken.Node}. Choose another VMID, the next free one ({plan.NextFreeVmId}), or overwrite it.";
            else if (taken.Type != GuestType.Qemu)
                errors["vmId"] = $"{vmId} is a container ({taken.Name}); a VM backup cannot overwrite it.";
            else if (!string.Equals(taken.Node, nodeName, StringComparison.Ordinal))
                errors["node"] = $"VM {vmId} ({taken.Name}) is on {taken.Node}: an overwrite restores on that node.";
            else if (taken.Status != "stopped")
                errors["vmId"] = $"VM {vmId} ({taken.Name}) is {taken.Status}; stop it before overwriting it.";
            else if (!ConfirmMatches(request.Confirm, taken))
                errors["confirm"] = $"Type the name ({taken.Name}) or VMID ({vmId}) of the VM that is overwritten.";
            else force = true;
        }
        else if (errors.Count == 0 && request.VmId is not null)
        {
            // not in the inventory: ask PVE (a VM created since the last poll)
            try { await connections.Get(plan.Connection).GetNextVmIdAsync(vmId, ct); }
            catch (ProxmoxException ex) when (ex.StatusCode == 400) { errors["vmId"] = ex.ParameterErrors.GetValueOrDefault("vmid") ?? ex.Message; }
        }

        // storage
        if (target is { Error: null })
        {
            if (!string.IsNullOrWhiteSpace(request.Storage))
            {
                if (!target.HasStorage(request.Storage.Trim()))
                    errors["storage"] = $"Storage '{request.Storage.Trim()}' does not take VM disks on {target.Node} (there: {string.Join(", ", target.Storages.Select(s => s.Storage))}).";
                else if (target.Storages.First(s => s.Storage == request.Storage.Trim()) is { Available: > 0 } s && s.Available < plan.TotalDiskBytes)
                    errors["storage"] = $"Storage '{s.Storage}' has {Bytes(s.Available)} free; the disks need up to {Bytes(plan.TotalDiskBytes)}.";
            }
            else if (plan.Disks.Where(d => d.Storage is not null && !target.HasStorage(d.Storage)).Select(d => $"{d.Key} ({d.Storage})").ToList() is { Count: > 0 } missing)
                errors["storage"] = $"{string.Join(", ", missing)}: not available on {target.Node}; choose a target storage.";
        }

        // bridges
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        var bridges = request.Bridges ?? new Dictionary<string, string>();
        foreach (var (key, bridge) in bridges)
        {
            if (plan.Nics.FirstOrDefault(n => n.Key == key) is not { } nic) { errors[$"bridges.{key}"] = $"The backup has no NIC {key}."; continue; }
            if (string.IsNullOrWhiteSpace(bridge)) { errors[$"bridges.{key}"] = $"Choose a bridge for {key}."; continue; }
            if (target is { Error: null } && !target.HasBridge(bridge.Trim())) { errors[$"bridges.{key}"] = $"No bridge '{bridge.Trim()}' on {target.Node}."; continue; }
            if (bridge.Trim() != nic.Bridge) overrides[key] = NicWithBridge(nic.Raw, bridge.Trim(), request.UniqueMacs);
        }
        if (target is { Error: null })
            foreach (var nic in plan.Nics.Where(n => !bridges.ContainsKey(n.Key) && n.Bridge is not null && !target.HasBridge(n.Bridge)))
                errors[$"bridges.{nic.Key}"] = $"{nic.Key} was on {nic.Bridge}, which {target.Node} does not have; choose a bridge.";

        // name
        if (!string.IsNullOrWhiteSpace(request.Name))
        {
            if (!DnsName().IsMatch(request.Name.Trim())) errors["name"] = "A VM name is a DNS name: letters, digits, hyphens and dots.";
            else overrides["name"] = request.Name.Trim();
        }

        if (errors.Count > 0) throw new ValidationException("The backup was not restored: " + string.Join(" ", errors.Values), errors);
        return (vmId, force, target!, overrides);
    }

    private static bool ConfirmMatches(string? confirm, GuestResource vm) =>
        confirm?.Trim() is { Length: > 0 } c && (string.Equals(c, vm.Name, StringComparison.Ordinal) || c == vm.VmId.ToString(CultureInfo.InvariantCulture));

    /// <summary>The NIC's property string with another bridge; with <paramref name="newMac"/> its MAC left out, so PVE
    /// assigns a random one ("virtio=AA:…,bridge=vmbr0,firewall=1" → "virtio,bridge=vmbr1,firewall=1").</summary>
    public static string NicWithBridge(string raw, string bridge, bool newMac)
    {
        var parts = raw.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
        var result = new List<string>();
        var hasBridge = false;
        foreach (var part in parts)
        {
            if (part.StartsWith("bridge=", StringComparison.Ordinal)) { result.Add("bridge=" + bridge); hasBridge = true; }
            else if (newMac && part.StartsWith("macaddr=", StringComparison.Ordinal)) continue;
            else if (newMac && ModelWithMac().Match(part) is { Success: true } m) result.Add(m.Groups["model"].Value);
            else result.Add(part);
        }
        if (!hasBridge) result.Insert(Math.Min(1, result.Count), "bridge=" + bridge);
        return string.Join(',', result);
    }

    private static string Bytes(long b) => b >= 1L << 30
        ? (b / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB"
        : (b / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + " MiB";

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
