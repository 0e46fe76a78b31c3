namespace Moxxie.Simulator.Model;

/// <summary>A qemu VM or LXC container (mutable; only touched under the cluster lock).</summary>
internal sealed class SimGuest
{
    public required int Vmid { get; init; }
    public required string Type { get; init; }            // "qemu" | "lxc"
    public required string Node { get; set; }
    public required string Name { get; set; }
    public required int Cores { get; init; }
    public int Sockets { get; init; } = 1;
    public required long MaxMem { get; init; }             // bytes
    public required long MaxDisk { get; init; }            // bytes
    public long MaxSwap { get; init; } = 512L * 1024 * 1024;
    public string Tags { get; set; } = "";                 // stored form: ';'-separated, lower case, sorted
    public bool Template { get; init; }
    public bool OnBoot { get; init; }
    public string OsType { get; init; } = "l26";
    public bool CloudInit { get; init; }
    public string DiskStorage { get; init; } = "local-zfs";
    public required string MacAddress { get; init; }
    public required string SmbiosUuid { get; init; }
    public required string VmGenId { get; init; }
    public required long CreatedAt { get; init; }          // epoch seconds (meta ctime)
    public string? Description { get; init; }

    // Runtime state
    public string Status { get; set; } = "stopped";        // "running" | "stopped"
    public bool Paused { get; set; }                       // qmpstatus "paused" while Status == running
    public string? Lock { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
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
    public string QmpStatus => !IsRunning ? "stopped" : Paused ? "paused" : "running";
}
