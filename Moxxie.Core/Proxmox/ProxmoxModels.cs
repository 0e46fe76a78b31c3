namespace Moxxie.Core.Proxmox;

public enum GuestType { Qemu, Lxc }

public enum PowerAction { Start, Stop, Shutdown, Reboot, Reset, Suspend, Resume }

/// <summary>Options of a power action as PVE names them: <c>timeout</c> seconds (stop, shutdown, reboot), <c>forceStop</c>
/// (shutdown: stop when the guest does not shut down in time) and <c>overrule-shutdown</c> (stop: abort a running shutdown).</summary>
public sealed record PowerOptions(int? TimeoutSeconds = null, bool ForceStop = false, bool OverruleShutdown = false);

public sealed record PveVersion(string Version, string Release, string? RepoId);

public sealed record ClusterInfo(string? Name, bool Quorate, int? ConfigVersion, IReadOnlyList<ClusterNode> Nodes);

public sealed record ClusterNode(string Name, bool Online, string? Ip, bool Local, int? NodeId, string? Level);

/// <summary>One guest (VM or container) as /cluster/resources reports it. <see cref="Cpu"/> is a fraction (0.15 = 15 %).</summary>
public sealed record GuestResource(
    int VmId,
    string Name,
    string Node,
    GuestType Type,
    string Status,
    double Cpu,
    int MaxCpu,
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
    string? HaState,
    string? Pool);

public sealed record NodeResource(
    string Node,
    string Status,
    double Cpu,
    int MaxCpu,
    long Mem,
    long MaxMem,
    long Disk,
    long MaxDisk,
    long Uptime,
    string? Level);

public sealed record StorageResource(
    string Storage,
    string Node,
    string Status,
    long Disk,
    long MaxDisk,
    IReadOnlyList<string> Content,
    bool Shared,
    string? PluginType);

public sealed record ClusterResources(
    IReadOnlyList<GuestResource> Guests,
    IReadOnlyList<NodeResource> Nodes,
    IReadOnlyList<StorageResource> Storage)
{
    public static ClusterResources Empty { get; } = new([], [], []);

    /// <summary>sdn entries of /cluster/resources (zones per node).</summary>
    public IReadOnlyList<SdnResource> Sdn { get; init; } = [];

    /// <summary>pool entries of /cluster/resources.</summary>
    public IReadOnlyList<PoolResource> Pools { get; init; } = [];
}

/// <summary>A PVE task. <see cref="ExitStatus"/> is null while running; "OK" or "WARNINGS: n" mean success, anything else is PVE's error message.</summary>
public sealed record PveTask(
    string Upid,
    string Node,
    string Type,
    string? Id,
    string User,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    bool Running,
    string? ExitStatus)
{
    public bool Succeeded => !Running && ExitStatus is not null && (ExitStatus == "OK" || ExitStatus.StartsWith("WARNINGS", StringComparison.Ordinal));
    public bool Failed => !Running && !Succeeded;
}

public sealed record TaskLogLine(int N, string Text);

public sealed record TaskLog(IReadOnlyList<TaskLogLine> Lines, int Total);

/// <summary>What PVE answered to a ticket login (POST /access/ticket), without the ticket itself: the user, the cluster name and
/// the privileges granted per area (vms, storage, nodes, dc, access, sdn, …).</summary>
public sealed record PveSession(string Username, string? ClusterName, IReadOnlyDictionary<string, IReadOnlyList<string>> Capabilities);
