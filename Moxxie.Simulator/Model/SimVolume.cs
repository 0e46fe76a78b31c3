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

/// <summary>The guest configuration captured in a backup archive (qemu-server.conf / pct.conf of the archive).</summary>
/// <param name="Config">Raw config keys of the guest at backup time (no snapshots, no pending section, no lock).</param>
internal sealed record BackupSource(string Type, int Vmid, string Name, IReadOnlyDictionary<string, string> Config, string? Parent = null);
