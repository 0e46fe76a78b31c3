namespace Moxxie.Core.Proxmox;

/// <summary>Filters of GET /nodes/{node}/storage.</summary>
public sealed record StorageQuery(string? Content = null, bool? Enabled = null, string? Storage = null, string? Target = null);

/// <summary>One storage as a node sees it (GET /nodes/{node}/storage, …/{storage}/status).</summary>
public sealed record NodeStorage(
    string Storage,
    string Type,
    IReadOnlyList<string> Content,
    bool Active,
    bool Enabled,
    bool Shared,
    long Total,
    long Used,
    long Available,
    double? UsedFraction);

/// <summary>Datacenter storage configuration (GET /storage, /storage/{storage}). <see cref="Properties"/> holds every key.</summary>
public sealed record StorageConfig(
    string Storage,
    string Type,
    IReadOnlyList<string> Content,
    IReadOnlyList<string> Nodes,
    bool Shared,
    bool Disabled,
    string? Path,
    string? Server,
    RetentionPolicy? PruneBackups,
    string? Digest,
    IReadOnlyDictionary<string, string> Properties);

/// <summary>One volume of GET /nodes/{node}/storage/{storage}/content.</summary>
public sealed record StorageContentItem(
    string VolId,
    string Content,
    string? Format,
    long Size,
    long? Used,
    DateTimeOffset? Created,
    int? VmId,
    string? Subtype,
    string? Notes,
    bool Protected,
    string? Parent,
    string? VerificationState,
    bool? Encrypted)
{
    /// <summary>UPID of the last verification (PBS storages report one with the state).</summary>
    public string? VerificationUpid { get; init; }

    /// <summary>The part after "storage:" (e.g. backup/vzdump-qemu-100-….vma.zst).</summary>
    public string Volume => VolId.IndexOf(':') is var i and > 0 ? VolId[(i + 1)..] : VolId;
}

/// <summary>GET /nodes/{node}/storage/{storage}/content/{volume}.</summary>
public sealed record StorageVolumeInfo(string VolId, string? Path, string? Format, long Size, long? Used, string? Notes, bool Protected);

/// <summary>Upload progress: bytes sent so far and the total when known.</summary>
public readonly record struct UploadProgress(long BytesSent, long? TotalBytes)
{
    public double? Fraction => TotalBytes is > 0 ? (double)BytesSent / TotalBytes.Value : null;
}
