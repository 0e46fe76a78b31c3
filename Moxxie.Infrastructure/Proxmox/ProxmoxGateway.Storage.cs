using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox.Wire;

namespace Moxxie.Infrastructure.Proxmox;

internal sealed partial class ProxmoxGateway
{
    public async Task<IReadOnlyList<NodeStorage>> GetNodeStorageAsync(string node, StorageQuery query, CancellationToken ct)
    {
        var q = new PveParams().Add("content", query.Content).Add("enabled", query.Enabled).Add("storage", query.Storage).Add("target", query.Target).Query();
        return [.. (await ListAsync<NodeStorageDto>($"nodes/{E(node)}/storage{q}", ct)).Select(d => ProxmoxMapper.ToNodeStorage(d)).OrderBy(s => s.Storage, StringComparer.Ordinal)];
    }

    public async Task<NodeStorage> GetStorageStatusAsync(string node, string storage, CancellationToken ct) =>
        ProxmoxMapper.ToNodeStorage(await client.GetDataAsync<NodeStorageDto>($"nodes/{E(node)}/storage/{E(storage)}/status", ct), storage);

    public async Task<IReadOnlyList<StorageConfig>> GetStorageConfigsAsync(CancellationToken ct)
    {
        var data = await DataElementAsync("storage", ct);
        return [.. data.EnumerateArray().Select(e => ProxmoxMapper.ToStorageConfig(ProxmoxMapper.Properties(e))).OrderBy(s => s.Storage, StringComparer.Ordinal)];
    }

    public async Task<StorageConfig> GetStorageConfigAsync(string storage, CancellationToken ct)
    {
        var p = ProxmoxMapper.Properties(await DataElementAsync($"storage/{E(storage)}", ct));
        p.TryAdd("storage", storage);
        return ProxmoxMapper.ToStorageConfig(p);
    }

    public async Task SetStorageEnabledAsync(string storage, bool enabled, CancellationToken ct) =>
        await client.PutAsync($"storage/{E(storage)}", new PveParams().Add("disable", !enabled), ct);

    public async Task SetStorageRetentionAsync(string storage, RetentionPolicy? policy, CancellationToken ct) =>
        await client.PutAsync($"storage/{E(storage)}",
            policy is null ? new PveParams().Add("delete", "prune-backups") : new PveParams().Add("prune-backups", policy.ToString()), ct);

    public async Task<IReadOnlyList<StorageContentItem>> GetStorageContentAsync(string node, string storage, string? content, int? vmId, CancellationToken ct)
    {
        var q = new PveParams().Add("content", content).Add("vmid", vmId).Query();
        return [.. (await ListAsync<ContentDto>($"nodes/{E(node)}/storage/{E(storage)}/content{q}", ct)).Select(ProxmoxMapper.ToContent)
            .OrderByDescending(c => c.Created).ThenBy(c => c.VolId, StringComparer.Ordinal)];
    }

    public async Task<StorageVolumeInfo> GetVolumeAsync(string node, string storage, string volume, CancellationToken ct) =>
        ProxmoxMapper.ToVolume(VolId(storage, volume), await client.GetDataAsync<VolumeDto>(VolumePath(node, storage, volume), ct));

    public async Task UpdateVolumeAsync(string node, string storage, string volume, string? notes, bool? isProtected, CancellationToken ct) =>
        await client.PutAsync(VolumePath(node, storage, volume), new PveParams().Add("notes", notes).Add("protected", isProtected), ct);

    public async Task<string?> DeleteVolumeAsync(string node, string storage, string volume, CancellationToken ct) =>
        OptionalUpid(await client.DeleteAsync(VolumePath(node, storage, volume), ct));

    /// <summary>The volume segment is the full volid ("local:backup/vzdump-….vma.zst") or the part after "storage:"; PVE takes either.</summary>
    private static string VolumePath(string node, string storage, string volume) =>
        $"nodes/{E(node)}/storage/{E(storage)}/content/{E(VolId(storage, volume))}";

    private static string VolId(string storage, string volume) => volume.Contains(':', StringComparison.Ordinal) ? volume : $"{storage}:{volume}";

    public async Task<IReadOnlyList<RrdPoint>> GetStorageRrdAsync(string node, string storage, RrdTimeframe timeframe, RrdConsolidation cf,
        CancellationToken ct) =>
        ProxmoxMapper.ToRrd(await DataElementAsync(
            $"nodes/{E(node)}/storage/{E(storage)}/rrddata{new PveParams().Add("timeframe", Lower(timeframe)).Add("cf", Cf(cf)).Query()}", ct));

    public async Task<string> UploadAsync(string node, string storage, string content, string fileName, Stream data, long? length,
        IProgress<UploadProgress>? progress, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/storage/{E(storage)}/upload";
        var root = await client.UploadAsync(path, new PveParams().Add("content", content), fileName, data, length, progress, ct);
        return Upid(root, path);
    }

    public async Task<string> VzdumpAsync(string node, VzdumpRequest request, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/vzdump";
        var form = new PveParams()
            .AddList("vmid", request.VmIds.Select(Id))
            .Add("storage", request.Storage).Add("mode", request.Mode).Add("compress", request.Compress)
            .Add("notes-template", request.NotesTemplate).Add("protected", request.Protected).Add("remove", request.Remove)
            .Add("bwlimit", request.BandwidthLimitKiB);
        return Upid(await client.PostAsync(path, form, ct), path);
    }

    public async Task<string> ExtractBackupConfigAsync(string node, string volume, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/vzdump/extractconfig{new PveParams().Add("volume", volume).Query()}";
        return await client.GetDataAsync<string>(path, ct);
    }

    public async Task<string> RestoreVmAsync(string node, RestoreVmRequest request, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/qemu";
        var form = new PveParams()
            .Add("vmid", request.VmId).Add("archive", request.Archive).Add("storage", request.Storage).Add("force", request.Force)
            .Add("unique", request.Unique).Add("start", request.Start).Add("bwlimit", request.BandwidthLimitKiB).Add("live-restore", request.LiveRestore)
            .Add("pool", request.Pool).AddAll(request.Other);
        return Upid(await client.PostAsync(path, form, ct), path);
    }

    public async Task<IReadOnlyList<PruneEntry>> PruneBackupsDryRunAsync(string node, string storage, PruneRequest request, CancellationToken ct) =>
        [.. (await ListAsync<PruneDto>($"nodes/{E(node)}/storage/{E(storage)}/prunebackups{PruneParams(request).Query()}", ct)).Select(ProxmoxMapper.ToPrune)];

    public async Task<string> PruneBackupsAsync(string node, string storage, PruneRequest request, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/storage/{E(storage)}/prunebackups{PruneParams(request).Query()}";
        return Upid(await client.DeleteAsync(path, ct), path);
    }

    private static PveParams PruneParams(PruneRequest r) =>
        new PveParams().Add("prune-backups", r.Policy?.ToString()).Add("vmid", r.VmId).Add("type", r.Type is { } t ? TypePath(t) : null);

    public async Task<IReadOnlyList<BackupJob>> GetBackupJobsAsync(CancellationToken ct) =>
        [.. (await DataElementAsync("cluster/backup", ct)).EnumerateArray().Select(e => ProxmoxMapper.ToBackupJob(ProxmoxMapper.Properties(e)))
            .OrderBy(j => j.Id, StringComparer.Ordinal)];

    public async Task<BackupJob> GetBackupJobAsync(string id, CancellationToken ct)
    {
        var p = ProxmoxMapper.Properties(await DataElementAsync($"cluster/backup/{E(id)}", ct));
        p.TryAdd("id", id);
        return ProxmoxMapper.ToBackupJob(p);
    }

    public async Task CreateBackupJobAsync(BackupJobSpec spec, CancellationToken ct) =>
        await client.PostAsync("cluster/backup", BackupJobParams(spec).Add("id", spec.Id), ct);

    public async Task UpdateBackupJobAsync(string id, BackupJobSpec spec, CancellationToken ct) =>
        await client.PutAsync($"cluster/backup/{E(id)}", BackupJobParams(spec).AddList("delete", spec.Delete), ct);

    public async Task DeleteBackupJobAsync(string id, CancellationToken ct) => await client.DeleteAsync($"cluster/backup/{E(id)}", ct);

    private static PveParams BackupJobParams(BackupJobSpec s) =>
        new PveParams()
            .Add("schedule", s.Schedule).Add("storage", s.Storage).AddList("vmid", s.VmIds?.Select(Id)).Add("all", s.All).Add("enabled", s.Enabled)
            .Add("mode", s.Mode).Add("compress", s.Compress).Add("node", s.Node).Add("pool", s.Pool).Add("comment", s.Comment)
            .Add("notes-template", s.NotesTemplate).Add("mailnotification", s.MailNotification).Add("prune-backups", s.Retention?.ToString());
}
