namespace Moxxie.Simulator.Model;

/// <summary>
/// A file-like volume on a storage: ISO image, container template or backup archive. Guest disks (images, rootdir) are
/// not stored: they are derived from the guests. Mutable only under the cluster lock.
/// </summary>
internal sealed class SimVolume
{
    public required string Storage { get; init; }
    public string? Node { get; init; }                     // null on shared storages
    public required string VolId { get; init; }            // "backup-nas:backup/vzdump-qemu-101-2026_11_25-10_00_00.vma.zst"
    public required string Content { get; init; }          // iso | vztmpl | backup | import
    public required string Format { get; init; }           // iso | tzst | txz | vma.zst | tar.zst …
    public required long Size { get; init; }
    public required long CTime { get; init; }
    public int? Vmid { get; init; }
    public string? Subtype { get; init; }                  // backups: qemu | lxc
    public string? Notes { get; set; }
    public bool Protected { get; set; }
    public BackupSource? Source { get; init; }             // backups: what was backed up (config for extractconfig/restore)

    public string VolName => VolId[(VolId.IndexOf(':') + 1)..];
}

/// <summary>The guest configuration captured in a backup archive.</summary>
internal sealed record BackupSource(
    string Type, string Name, int Cores, int Sockets, long MaxMem, long MaxDisk, string OsType, string Tags,
    bool CloudInit, string MacAddress, string DiskStorage, bool OnBoot);
