using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Restore;

/// <summary>What a backup holds and where it can go: the config at backup time, its disks and NICs, the VM that has the
/// backed-up VMID now (if any), the next free VMID and, per node that sees the archive, its disk storages and bridges.</summary>
public sealed record RestorePlan(
    string Connection,
    BackupArchiveName Archive,
    string SourceNode,
    GuestConfig Config,
    IReadOnlyList<RestoreDisk> Disks,
    IReadOnlyList<RestoreNic> Nics,
    VmView? ExistingVm,
    int NextFreeVmId,
    IReadOnlyList<RestoreTargetNode> Nodes)
{
    /// <summary>The VMID the backup was taken of (from the volume name, else the config).</summary>
    public int? BackupVmId => Archive.VmId;

    public string? Name => Config.Name;

    /// <summary>Bytes to write (sum of the disk sizes in the config).</summary>
    public long TotalDiskBytes => Disks.Sum(d => d.SizeBytes ?? 0);

    public RestoreTargetNode? Node(string node) => Nodes.FirstOrDefault(n => string.Equals(n.Node, node, StringComparison.Ordinal));
}

/// <summary>A disk of the backed-up VM: config key (scsi0), the storage it was on, its size.</summary>
public sealed record RestoreDisk(string Key, string? Storage, long? SizeBytes, string? Size);

/// <summary>A NIC of the backed-up VM: key (net0), model, MAC, bridge and VLAN tag at backup time; <see cref="Raw"/> is
/// the property string as stored.</summary>
public sealed record RestoreNic(string Key, string? Model, string? MacAddress, string? Bridge, int? VlanTag, string Raw);

/// <summary>A node the backup can be restored on (it sees the archive), with the storages that take VM disks and its bridges.</summary>
public sealed record RestoreTargetNode(string Node, IReadOnlyList<NodeStorage> Storages, IReadOnlyList<string> Bridges, string? Error = null)
{
    public bool HasStorage(string storage) => Storages.Any(s => string.Equals(s.Storage, storage, StringComparison.Ordinal));
    public bool HasBridge(string bridge) => Bridges.Contains(bridge, StringComparer.Ordinal);
}

/// <summary>A restore as the wizard and the API ask for it.</summary>
public sealed record RestoreRequest(string? VolId)
{
    public string? Connection { get; init; }

    /// <summary>Node that sees the archive (optional; see <see cref="BackupRef.SourceNode"/>).</summary>
    public string? SourceNode { get; init; }

    /// <summary>Target VMID; null = the next free VMID (GET /cluster/nextid).</summary>
    public int? VmId { get; init; }

    /// <summary>Replace the VM that has <see cref="VmId"/> (PVE force=1). Needs <see cref="Confirm"/>.</summary>
    public bool Overwrite { get; init; }

    /// <summary>The overwritten VM's name or VMID, typed by the user.</summary>
    public string? Confirm { get; init; }

    /// <summary>Target node; null = the source node.</summary>
    public string? Node { get; init; }

    /// <summary>One storage for every disk (PVE restore takes a single target storage); null = each disk back on the
    /// storage it was backed up from.</summary>
    public string? Storage { get; init; }

    /// <summary>NIC key (net0) → bridge on the target node; NICs not listed keep their bridge.</summary>
    public IReadOnlyDictionary<string, string>? Bridges { get; init; }

    /// <summary>New random MAC addresses (PVE unique=1).</summary>
    public bool UniqueMacs { get; init; }

    /// <summary>Start the VM when the restore finished (PVE start=1).</summary>
    public bool Start { get; init; }

    /// <summary>New name for the restored VM (null keeps the backed-up one).</summary>
    public string? Name { get; init; }
}

/// <summary>The restore started: PVE's UPID, where, which VMID, and a rough duration.</summary>
public sealed record RestoreResult(string Upid, string Message, string Connection, string Node, int VmId, int EstimatedSeconds);
