namespace Moxxie.Core.Proxmox;

/// <summary>Storage, storage content, upload, backups (vzdump, restore, prune) and backup jobs.</summary>
public partial interface IProxmoxGateway
{
    /// <summary>GET /nodes/{node}/storage with filters.</summary>
    Task<IReadOnlyList<NodeStorage>> GetNodeStorageAsync(string node, StorageQuery query, CancellationToken ct);

    /// <summary>GET /nodes/{node}/storage/{storage}/status.</summary>
    Task<NodeStorage> GetStorageStatusAsync(string node, string storage, CancellationToken ct);

    /// <summary>GET /nodes/{node}/storage/{storage}/rrddata (used, total per sample).</summary>
    Task<IReadOnlyList<RrdPoint>> GetStorageRrdAsync(string node, string storage, RrdTimeframe timeframe, RrdConsolidation cf, CancellationToken ct);

    /// <summary>GET /storage (datacenter storage configuration).</summary>
    Task<IReadOnlyList<StorageConfig>> GetStorageConfigsAsync(CancellationToken ct);

    /// <summary>GET /storage/{storage}.</summary>
    Task<StorageConfig> GetStorageConfigAsync(string storage, CancellationToken ct);

    /// <summary>PUT /storage/{storage} disable=0|1.</summary>
    Task SetStorageEnabledAsync(string storage, bool enabled, CancellationToken ct);

    /// <summary>PUT /storage/{storage} prune-backups (null removes the storage's own policy).</summary>
    Task SetStorageRetentionAsync(string storage, RetentionPolicy? policy, CancellationToken ct);

    /// <summary>GET /nodes/{node}/storage/{storage}/content (content: iso, vztmpl, backup, images, rootdir, import; vmid filter).</summary>
    Task<IReadOnlyList<StorageContentItem>> GetStorageContentAsync(string node, string storage, string? content, int? vmId, CancellationToken ct);

    /// <summary>GET /nodes/{node}/storage/{storage}/content/{volume}.</summary>
    Task<StorageVolumeInfo> GetVolumeAsync(string node, string storage, string volume, CancellationToken ct);

    /// <summary>PUT /nodes/{node}/storage/{storage}/content/{volume}: notes and/or protected flag (null = unchanged).</summary>
    Task UpdateVolumeAsync(string node, string storage, string volume, string? notes, bool? isProtected, CancellationToken ct);

    /// <summary>DELETE /nodes/{node}/storage/{storage}/content/{volume}; returns the UPID (PVE may also answer without one).</summary>
    Task<string?> DeleteVolumeAsync(string node, string storage, string volume, CancellationToken ct);

    /// <summary>POST /nodes/{node}/storage/{storage}/upload (multipart, content iso|vztmpl|import), streamed with progress. Never retried.</summary>
    Task<string> UploadAsync(string node, string storage, string content, string fileName, Stream data, long? length,
        IProgress<UploadProgress>? progress, CancellationToken ct);

    /// <summary>POST /nodes/{node}/vzdump; returns the UPID.</summary>
    Task<string> VzdumpAsync(string node, VzdumpRequest request, CancellationToken ct);

    /// <summary>GET /nodes/{node}/vzdump/extractconfig: the guest config stored in a backup (text as in the .conf file).</summary>
    Task<string> ExtractBackupConfigAsync(string node, string volume, CancellationToken ct);

    /// <summary>POST /nodes/{node}/qemu with archive: restore; returns the UPID.</summary>
    Task<string> RestoreVmAsync(string node, RestoreVmRequest request, CancellationToken ct);

    /// <summary>GET /nodes/{node}/storage/{storage}/prunebackups: dry run (what would be kept/removed).</summary>
    Task<IReadOnlyList<PruneEntry>> PruneBackupsDryRunAsync(string node, string storage, PruneRequest request, CancellationToken ct);

    /// <summary>DELETE /nodes/{node}/storage/{storage}/prunebackups; returns the UPID.</summary>
    Task<string> PruneBackupsAsync(string node, string storage, PruneRequest request, CancellationToken ct);

    /// <summary>GET /cluster/backup.</summary>
    Task<IReadOnlyList<BackupJob>> GetBackupJobsAsync(CancellationToken ct);

    /// <summary>GET /cluster/backup/{id}.</summary>
    Task<BackupJob> GetBackupJobAsync(string id, CancellationToken ct);

    /// <summary>POST /cluster/backup.</summary>
    Task CreateBackupJobAsync(BackupJobSpec spec, CancellationToken ct);

    /// <summary>PUT /cluster/backup/{id}.</summary>
    Task UpdateBackupJobAsync(string id, BackupJobSpec spec, CancellationToken ct);

    /// <summary>DELETE /cluster/backup/{id}.</summary>
    Task DeleteBackupJobAsync(string id, CancellationToken ct);
}
