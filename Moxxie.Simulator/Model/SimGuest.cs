namespace Moxxie.Simulator.Model;

/// <summary>
/// A qemu VM or LXC container (mutable; only touched under the cluster lock).
/// The config (<see cref="Config"/>, raw values as in /etc/pve/qemu-server/&lt;vmid&gt;.conf) is the truth once built;
/// the typed properties (Name, Cores, MaxMem, MaxDisk, Tags, …) are kept in sync with it by SimulatedCluster.SyncFields.
/// Presets set the typed properties; the config is derived from them the first time it is needed.
/// </summary>
internal sealed class SimGuest
{
    public required int Vmid { get; init; }
    public required string Type { get; init; }            // "qemu" | "lxc"
    public required string Node { get; set; }
    public required string Name { get; set; }
    public required int Cores { get; set; }
    public int Sockets { get; set; } = 1;
    public required long MaxMem { get; set; }              // bytes
    public required long MaxDisk { get; set; }             // bytes (boot disk / rootfs)
    public long MaxSwap { get; set; } = 512L * 1024 * 1024;
    public string Tags { get; set; } = "";                 // stored form: ';'-separated, lower case, sorted
    public bool Template { get; set; }
    public bool OnBoot { get; set; }
    public bool Protection { get; set; }
    public string OsType { get; set; } = "l26";
    public bool CloudInit { get; init; }
    public string DiskStorage { get; init; } = "local-zfs";
    public required string MacAddress { get; init; }
    public int? NetTag { get; init; }                      // VLAN tag of net0 on the VLAN-aware vmbr0 (null: untagged)
    public required string SmbiosUuid { get; init; }
    public required string VmGenId { get; init; }
    public required long CreatedAt { get; init; }          // epoch seconds (meta ctime)
    public string? Description { get; set; }

    // Config as PVE stores it (null until first built from the typed properties)
    public SortedDictionary<string, string>? ConfigStore { get; set; }
    public SortedDictionary<string, string> Pending { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, bool> PendingDelete { get; } = new(StringComparer.Ordinal); // key → force
    public List<SimSnapshot> Snapshots { get; } = [];
    public string? Parent { get; set; }                    // snapshot the current state derives from
    public bool AgentRunning { get; set; } = true;         // qemu-guest-agent answers (when agent enabled and VM running)

    // Runtime state
    public string Status { get; set; } = "stopped";        // "running" | "stopped"
    public bool Paused { get; set; }                       // qmpstatus "paused" while Status == running
    public string? Lock { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }           // last stop (rrddata shows it running before, idle after)
    public DateTimeOffset? PausedAt { get; set; }
    public TimeSpan PausedTotal { get; set; }
    public int Pid { get; set; }
    public string? FailNextTask { get; set; }

    // Load profile (fixed per guest, from the seed)
    public required double CpuBase { get; init; }          // fraction of MaxCpu
    public required double CpuAmp { get; init; }
    public required double MemFraction { get; init; }
    public required double NetInRate { get; init; }        // bytes/s
    public required double NetOutRate { get; init; }
    public required double DiskReadRate { get; init; }
    public required double DiskWriteRate { get; init; }
    public required double BootRead { get; init; }         // bytes read while booting
    public required double DiskUsedFraction { get; init; } // LXC rootfs usage

    public int MaxCpu => Cores * Sockets;
    public bool IsRunning => Status == "running";
    public bool IsQemu => Type == "qemu";
    public string QmpStatus => !IsRunning ? "stopped" : Paused ? "paused" : "running";

    /// <summary>"VM" or "CT", as PVE words messages about the guest.</summary>
    public string Kind => IsQemu ? "VM" : "CT";
}
