namespace Moxxie.Core.Deployments;

/// <summary>What the user asks for: a clone of <see cref="SourceVmId"/> (a template when <see cref="RequireTemplate"/>,
/// optionally at one of its snapshots) named <see cref="Name"/>, full or linked, on a chosen node (null: elected by free
/// memory) and storage (null: the source's), with cores, memory and cloud-init settings applied before the optional start.</summary>
public sealed record DeploymentRequest(int SourceVmId, string? Name)
{
    public string? Connection { get; init; }
    public bool RequireTemplate { get; init; }
    public string? Snapshot { get; init; }
    public bool Full { get; init; } = true;
    public string? Node { get; init; }
    public string? Storage { get; init; }
    public int? VmId { get; init; }
    public int? Cores { get; init; }
    public int? MemoryMb { get; init; }
    public string? CiUser { get; init; }
    /// <summary>OpenSSH public keys, one per line.</summary>
    public string? SshKeys { get; init; }
    /// <summary>ipconfig0, e.g. "ip=dhcp" or "ip=10.0.0.5/24,gw=10.0.0.1".</summary>
    public string? IpConfig0 { get; init; }
    public bool Start { get; init; }
}
