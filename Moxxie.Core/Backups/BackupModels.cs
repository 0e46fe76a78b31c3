using System.Globalization;
using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Backups;

/// <summary>One backup archive as a node lists it (GET …/storage/{storage}/content?content=backup), with the connection,
/// the node it was read through (any node for shared storage) and the guest's current name when the guest still exists.</summary>
public sealed partial record BackupItem(string Connection, string Storage, string Node, bool SharedStorage, StorageContentItem Content, string? VmName)
{
    public string VolId => Content.VolId;

    /// <summary>The part after "storage:" (backup/vzdump-qemu-101-….vma.zst).</summary>
    public string Volume => Content.Volume;

    /// <summary>The archive's file name (vzdump-qemu-101-2026_12_05-21_00_00.vma.zst), what the API's {volume} names.</summary>
    public string FileName => FileNameOf(VolId);

    public int? VmId => Content.VmId ?? VmIdOf(VolId);
    public DateTimeOffset? Created => Content.Created;
    public long Size => Content.Size;
    public string? Format => Content.Format;
    public string? Notes => Content.Notes;
    public bool Protected => Content.Protected;

    /// <summary>qemu or lxc (PVE's subtype, else read from the file name).</summary>
    public string? GuestType => Content.Subtype ?? TypeOf(VolId);

    /// <summary>Unique across connections and local storages of several nodes.</summary>
    public string Key => SharedStorage ? $"{Connection}|{VolId}" : $"{Connection}|{Node}|{VolId}";

    public BackupRef Ref => new(Connection, Storage, VolId, Node);

    [GeneratedRegex(@"vzdump-(qemu|lxc|openvz)-(\d+)-")]
    private static partial Regex VzdumpName();

    public static string FileNameOf(string volId)
    {
        var volume = volId.IndexOf(':') is var i and >= 0 ? volId[(i + 1)..] : volId;
        return volume.StartsWith("backup/", StringComparison.Ordinal) ? volume["backup/".Length..] : volume;
    }

    public static int? VmIdOf(string volId) =>
        VzdumpName().Match(volId) is { Success: true } m ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;

    public static string? TypeOf(string volId) => VzdumpName().Match(volId) is { Success: true } m ? m.Groups[1].Value : null;
}

/// <summary>Names one backup: connection (null when only one is configured), storage, volume (full volid, "backup/file" or
/// the file name) and a node that sees it (for storage local to each node the node holding it; for a restore the node that
/// reads the archive; null: Moxxie looks for it).</summary>
public sealed record BackupRef(string? Connection, string Storage, string Volume, string? Node = null)
{
    /// <summary>storage:backup/file, whatever form <see cref="Volume"/> came in (as given when no storage is known).</summary>
    public string VolId =>
        Volume.Contains(':', StringComparison.Ordinal) || Storage.Length == 0 ? Volume
        : Volume.StartsWith("backup/", StringComparison.Ordinal) ? $"{Storage}:{Volume}"
        : $"{Storage}:backup/{Volume}";

    /// <summary>A backup named by its volume id (storage:backup/file), as the restore wizard and API receive it.</summary>
    public static BackupRef FromVolId(string volId, string? connection = null, string? node = null)
    {
        ArgumentNullException.ThrowIfNull(volId);
        var colon = volId.IndexOf(':', StringComparison.Ordinal);
        return new BackupRef(connection, colon > 0 ? volId[..colon] : "", volId, node);
    }
}

/// <summary>Filters of the backup list: one connection, one storage, one VMID (null: all).</summary>
public sealed record BackupQuery(string? Connection = null, string? Storage = null, int? VmId = null);

/// <summary>Backups newest first, the backup storages looked at, and storages that could not be listed (PVE's message).</summary>
public sealed record BackupList(IReadOnlyList<BackupItem> Items, IReadOnlyList<BackupStorage> Storages, IReadOnlyList<string> Errors);

/// <summary>A storage holding backups: its connection, the nodes it is read through (one for shared storage, every node
/// where it is active otherwise) and its retention policy (prune-backups; null: none configured).</summary>
public sealed record BackupStorage(string Connection, string Storage, string Type, bool Shared, IReadOnlyList<string> Nodes,
    RetentionPolicy? Retention, bool Enabled)
{
    public bool AvailableOn(string node) => Nodes.Contains(node, StringComparer.Ordinal);
}

/// <summary>"Backup now" of one VM: storage, vzdump mode (snapshot | suspend | stop), compression (zstd | lzo | gzip | none),
/// notes (plain text; {{guestname}}, {{vmid}}, {{node}}, {{cluster}} are filled in by PVE) and the protected flag.</summary>
public sealed record BackupNowRequest(string? Storage, string? Mode = "snapshot", string? Compress = "zstd", string? Notes = null, bool Protected = false);

/// <summary>A started PVE task: its UPID, a message, where it runs.</summary>
public sealed record BackupActionResult(string Upid, string Message, string Connection, string Node);

/// <summary>What a backup holds: the archive (path, size, notes, protected, verification) and the guest configuration at
/// backup time as PVE extracts it (key → value in file order; the description from its comment lines).</summary>
public sealed record BackupDetails(
    BackupItem Item,
    string? Path,
    IReadOnlyList<KeyValuePair<string, string>> Config,
    string? Description,
    string RawConfig,
    string? ConfigError);

/// <summary>A prune preview: per node (local storage has one list per node) what the policy keeps and removes.</summary>
public sealed record PrunePreview(string Connection, string Storage, RetentionPolicy? Policy, IReadOnlyList<PruneLine> Lines)
{
    public int Removed => Lines.Count(l => l.Entry.Removed);
    public int Kept => Lines.Count - Removed;
}

/// <summary>One line of a prune preview: PVE's entry (mark keep | remove | protected | renamed) and the node it was read on.</summary>
public sealed record PruneLine(string Node, PruneEntry Entry);

/// <summary>Prune started on each node that holds the storage's backups (one UPID per node).</summary>
public sealed record PruneResult(string Connection, string Storage, IReadOnlyList<BackupActionResult> Tasks);
