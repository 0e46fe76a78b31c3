namespace Moxxie.Core.Proxmox;

/// <summary>One entry of GET /nodes/{node}/qemu or /lxc.</summary>
public sealed record NodeGuest(
    int VmId,
    GuestType Type,
    string Name,
    string Status,
    double Cpu,
    double Cpus,
    long Mem,
    long MaxMem,
    long Disk,
    long MaxDisk,
    long NetIn,
    long NetOut,
    long DiskRead,
    long DiskWrite,
    long Uptime,
    bool Template,
    IReadOnlyList<string> Tags,
    string? Lock,
    int? Pid);

/// <summary>GET /nodes/{node}/{qemu|lxc}/{vmid}/status/current.</summary>
public sealed record GuestStatusDetail(
    int VmId,
    GuestType Type,
    string Name,
    string Status,
    string? QmpStatus,
    double Cpu,
    double Cpus,
    long Mem,
    long MaxMem,
    long? Balloon,
    long Disk,
    long MaxDisk,
    long NetIn,
    long NetOut,
    long DiskRead,
    long DiskWrite,
    long Uptime,
    bool Template,
    bool Agent,
    IReadOnlyList<string> Tags,
    string? Lock,
    int? Pid,
    string? HaState,
    string? RunningMachine,
    string? RunningQemu);

/// <summary>Config changes: typed common settings plus any other key (PVE's name → value), keys to delete, optional digest.
/// Only what is set is sent.</summary>
public sealed record GuestConfigUpdate
{
    public string? Name { get; init; }
    public int? Cores { get; init; }
    public int? Sockets { get; init; }
    public long? MemoryMb { get; init; }
    public long? BalloonMb { get; init; }
    public bool? OnBoot { get; init; }
    public bool? Agent { get; init; }
    public bool? Protection { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public IReadOnlyDictionary<string, string> Other { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Delete { get; init; } = [];
    public string? Digest { get; init; }
}

/// <summary>POST /nodes/{node}/qemu: a new VM. Disks/NICs are PVE property strings keyed by config key
/// (e.g. scsi0 = "local-lvm:32,iothread=1", net0 = "virtio,bridge=vmbr0").</summary>
public sealed record CreateVmRequest(int VmId)
{
    public string? Name { get; init; }
    public int? Cores { get; init; }
    public int? Sockets { get; init; }
    public long? MemoryMb { get; init; }
    public string? OsType { get; init; }
    public string? Cpu { get; init; }
    public string? ScsiHw { get; init; }
    public string? Pool { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public bool? Start { get; init; }
    public IReadOnlyDictionary<string, string> Devices { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Other { get; init; } = new Dictionary<string, string>();
}

/// <summary>POST /nodes/{node}/qemu/{vmid}/clone.</summary>
public sealed record CloneVmRequest(int NewId)
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public bool? Full { get; init; }
    public string? Target { get; init; }
    public string? Storage { get; init; }
    public string? Format { get; init; }
    public string? Pool { get; init; }
    public string? SnapName { get; init; }
}

/// <summary>DELETE /nodes/{node}/{qemu|lxc}/{vmid} options.</summary>
public sealed record DeleteGuestOptions(bool Purge = false, bool DestroyUnreferencedDisks = false, bool SkipLock = false);

/// <summary>POST /nodes/{node}/qemu with <c>archive</c>: restore a backup into a (new or overwritten) VM.</summary>
public sealed record RestoreVmRequest(int VmId, string Archive)
{
    public string? Storage { get; init; }
    public bool? Force { get; init; }
    public bool? Unique { get; init; }
    public bool? Start { get; init; }
    public long? BandwidthLimitKiB { get; init; }
    public bool? LiveRestore { get; init; }
    public string? Pool { get; init; }
    /// <summary>Config overrides for the restored VM (e.g. net0 with another bridge, name).</summary>
    public IReadOnlyDictionary<string, string> Other { get; init; } = new Dictionary<string, string>();
}

/// <summary>GET /nodes/{node}/qemu/{vmid}/migrate: can it move, and where not (with the reasons PVE gives).</summary>
public sealed record MigratePrecondition(
    bool Running,
    IReadOnlyList<string> AllowedNodes,
    IReadOnlyDictionary<string, IReadOnlyList<string>> NotAllowedNodes,
    IReadOnlyList<MigrateLocalDisk> LocalDisks,
    IReadOnlyList<string> LocalResources,
    IReadOnlyList<string> MappedResources);

public sealed record MigrateLocalDisk(string VolId, long Size, bool Cdrom, bool Unused);

/// <summary>POST /nodes/{node}/qemu/{vmid}/migrate.</summary>
public sealed record MigrateRequest(string Target)
{
    public bool? Online { get; init; }
    public bool? WithLocalDisks { get; init; }
    public string? TargetStorage { get; init; }
    public long? BandwidthLimitKiB { get; init; }
    public bool? Force { get; init; }
}

/// <summary>POST …/vncproxy: the port and ticket for …/vncwebsocket (the password, when PVE sends one, is the VNC password).</summary>
public sealed record VncProxyTicket(int Port, string Ticket, string? Password, string? Cert, string? User, string? Upid);
