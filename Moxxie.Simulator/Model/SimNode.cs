namespace Moxxie.Simulator.Model;

/// <summary>A cluster node (mutable; only touched under the cluster lock).</summary>
internal sealed class SimNode
{
    public required string Name { get; init; }
    public required string Ip { get; init; }
    public required int NodeId { get; init; }
    public bool Local { get; init; }
    public bool Online { get; set; } = true;
    public required int MaxCpu { get; init; }
    public required int Sockets { get; init; }
    public required string CpuModel { get; init; }
    public required long MaxMem { get; init; }
    public required long BaseMemUsed { get; init; }
    public required long RootFsTotal { get; init; }
    public required long RootFsUsed { get; init; }
    public required DateTimeOffset BootTime { get; set; }
    public DateTimeOffset? GoesDownAt { get; set; }                 // POST status command=reboot|shutdown in progress
    public DateTimeOffset? ComesBackAt { get; set; }                // reboot: when it is up again
    public required string SslFingerprint { get; set; }
    public int NextPid { get; set; }
}
