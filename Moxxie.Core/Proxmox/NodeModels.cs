namespace Moxxie.Core.Proxmox;

/// <summary>One entry of GET /nodes.</summary>
public sealed record NodeSummary(string Node, string Status, double Cpu, int MaxCpu, long Mem, long MaxMem, long Disk, long MaxDisk, long Uptime,
    string? Level, string? SslFingerprint);

public sealed record NodeCpuInfo(string? Model, int? Sockets, int? Cores, int? Cpus, double? Mhz, string? Flags);

public sealed record NodeMemoryInfo(long Total, long Used, long Free, long? Available);

/// <summary>GET /nodes/{node}/status: kernel, PVE version, CPU model and topology, memory, root fs, swap, load average.</summary>
public sealed record NodeStatusDetail(
    string Node,
    double Cpu,
    double? IoWait,
    long Uptime,
    string? PveVersion,
    string? KernelVersion,
    string? KernelRelease,
    string? BootMode,
    bool? SecureBoot,
    NodeCpuInfo CpuInfo,
    NodeMemoryInfo Memory,
    NodeMemoryInfo Swap,
    NodeMemoryInfo RootFs,
    IReadOnlyList<double> LoadAverage,
    long? KsmShared);

public enum NodeCommand { Reboot, Shutdown }

public enum ServiceAction { Start, Stop, Restart, Reload }

/// <summary>One systemd service of a node (GET /nodes/{node}/services).</summary>
public sealed record NodeService(string Service, string Name, string? Description, string State, string? ActiveState, string? UnitState)
{
    public bool Running => State == "running" || ActiveState == "active";
}
