using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;

namespace Moxxie.Core.VmDetail;

/// <summary>The VM detail page and GET /api/v1/vms/{id}/detail: the VM from the inventory (live values), and from its node
/// its typed config with pending changes, status (balloon, agent), snapshots, backups, rrd history and tasks.
/// Power actions stay with <see cref="VmService"/>.</summary>
public sealed class VmDetailService(VmService vms, IProxmoxConnections connections)
{
    /// <summary>The VM from the inventory, or null (see <see cref="VmService.Find"/> for the several-connections case).</summary>
    public VmView? Find(VmRef vm) => vms.Find(vm);

    /// <summary>Typed config (GET …/config) with its pending changes (GET …/pending). When only the pending call fails, the
    /// config comes back without them and <see cref="VmConfigResult.PendingError"/> says why.</summary>
    public async Task<VmConfigResult> GetConfigAsync(VmView vm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var gateway = connections.Get(vm.Connection);
        var raw = await gateway.GetGuestConfigAsync(vm.Node, vm.VmId, vm.Guest.Type, ct);
        IReadOnlyList<PendingChange> pending = [];
        string? pendingError = null;
        try
        {
            pending = await gateway.GetPendingAsync(vm.Node, vm.VmId, vm.Guest.Type, ct);
        }
        catch (ProxmoxException ex)
        {
            pendingError = ex.Message;
        }
        return new VmConfigResult(GuestConfig.Parse(vm.VmId, vm.Guest.Type, raw, PendingOnly(pending)), pendingError);
    }

    /// <summary>Only entries that really wait (a pending value or a pending delete); PVE lists every key in …/pending.</summary>
    public static IReadOnlyList<PendingChange> PendingOnly(IEnumerable<PendingChange> pending) =>
        [.. pending.Where(p => p.Delete || (p.Pending is not null && p.Pending != p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>GET …/status/current: balloon, agent flag, QMP status.</summary>
    public Task<GuestStatusDetail> GetStatusAsync(VmView vm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return connections.Get(vm.Connection).GetGuestStatusAsync(vm.Node, vm.VmId, vm.Guest.Type, ct);
    }

    /// <summary>Snapshots, newest first, without PVE's "current" pseudo entry (whose parent is the snapshot the VM runs on).</summary>
    public async Task<VmSnapshots> GetSnapshotsAsync(VmView vm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var all = await connections.Get(vm.Connection).GetSnapshotsAsync(vm.Node, vm.VmId, vm.Guest.Type, ct);
        return new VmSnapshots(
            [.. all.Where(s => !s.IsCurrent).OrderByDescending(s => s.Time ?? DateTimeOffset.MinValue).ThenBy(s => s.Name, StringComparer.Ordinal)],
            all.FirstOrDefault(s => s.IsCurrent)?.Parent);
    }

    /// <summary>Backups of the VM on every enabled backup storage its node sees, newest first.</summary>
    public async Task<IReadOnlyList<StorageContentItem>> GetBackupsAsync(VmView vm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var gateway = connections.Get(vm.Connection);
        var storages = await gateway.GetNodeStorageAsync(vm.Node, new StorageQuery(Content: "backup", Enabled: true), ct);
        var lists = await Task.WhenAll(storages.Where(s => s.Active && s.Content.Contains("backup"))
            .Select(s => gateway.GetStorageContentAsync(vm.Node, s.Storage, "backup", vm.VmId, ct)));
        return [.. lists.SelectMany(l => l)
            .Where(b => b.VmId is null || b.VmId == vm.VmId)
            .DistinctBy(b => b.VolId, StringComparer.Ordinal)
            .OrderByDescending(b => b.Created ?? DateTimeOffset.MinValue)
            .ThenBy(b => b.VolId, StringComparer.Ordinal)];
    }

    /// <summary>CPU, memory, network and disk I/O history from GET …/rrddata (average), oldest first.</summary>
    public async Task<IReadOnlyList<VmMetricPoint>> GetMetricsAsync(VmView vm, RrdTimeframe timeframe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var points = await connections.Get(vm.Connection).GetGuestRrdAsync(vm.Node, vm.VmId, vm.Guest.Type, timeframe, RrdConsolidation.Average, ct);
        return VmMetricPoint.From(points);
    }

    /// <summary>The guest's own view of its network (QEMU guest agent), loopback left out. Only for running qemu VMs with the
    /// agent enabled in their config (else empty, without asking PVE); PVE's error when the agent does not answer.</summary>
    public async Task<IReadOnlyList<GuestAgentInterface>> GetAgentInterfacesAsync(VmView vm, GuestConfig config, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentNullException.ThrowIfNull(config);
        if (vm.Guest.Type != GuestType.Qemu || vm.Status != "running" || config.Agent is not { Enabled: true }) return [];
        var interfaces = await connections.Get(vm.Connection).GetAgentInterfacesAsync(vm.Node, vm.VmId, ct);
        return [.. interfaces.Where(i => !i.IsLoopback)];
    }

    /// <summary>This VM's tasks on its node (newest first).</summary>
    public async Task<IReadOnlyList<PveTask>> GetTasksAsync(VmView vm, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var tasks = await connections.Get(vm.Connection).GetNodeTasksAsync(vm.Node, vm.VmId, limit, ct);
        var id = vm.VmId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return [.. tasks.Where(t => t.Id is null || t.Id == id)
            .OrderByDescending(t => t.StartTime).ThenByDescending(t => t.Upid, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>Everything of GET /api/v1/vms/{id}/detail: the VM, its raw config, snapshots and backups. Snapshots and
    /// backups that PVE cannot list come back empty with the reason in <see cref="VmDetailBundle.Warnings"/>.</summary>
    public async Task<VmDetailBundle?> GetDetailAsync(VmRef vm, CancellationToken ct)
    {
        if (Find(vm) is not { } view) return null;
        var raw = await connections.Get(view.Connection).GetGuestConfigAsync(view.Node, view.VmId, view.Guest.Type, ct);
        var warnings = new List<string>();
        var snapshots = await OrEmptyAsync(async () => (await GetSnapshotsAsync(view, ct)).Items, "snapshots", warnings);
        var backups = await OrEmptyAsync(() => GetBackupsAsync(view, ct), "backups", warnings);
        return new VmDetailBundle(view, raw, snapshots, backups, warnings);
    }

    private static async Task<IReadOnlyList<T>> OrEmptyAsync<T>(Func<Task<IReadOnlyList<T>>> load, string what, List<string> warnings)
    {
        try
        {
            return await load();
        }
        catch (ProxmoxException ex)
        {
            warnings.Add($"Could not list {what}: {ex.Message}");
            return [];
        }
    }
}

/// <summary>Snapshots (newest first) and the one the VM currently runs on.</summary>
public sealed record VmSnapshots(IReadOnlyList<Snapshot> Items, string? CurrentParent);

/// <summary>Typed config plus why its pending changes are missing (null when they were read).</summary>
public sealed record VmConfigResult(GuestConfig Config, string? PendingError);

/// <summary>What GET /api/v1/vms/{id}/detail returns.</summary>
public sealed record VmDetailBundle(
    VmView Vm,
    IReadOnlyDictionary<string, string> Config,
    IReadOnlyList<Snapshot> Snapshots,
    IReadOnlyList<StorageContentItem> Backups,
    IReadOnlyList<string> Warnings);
