namespace Moxxie.Core.Deployments;

/// <summary>A VM being created by cloning a template or another VM (seed 002's "deployment"): status REQUESTED →
/// PROVISIONING → ACTIVE or ERROR, with an ordered event log (<see cref="DeploymentEvent"/>). The request is kept as
/// columns so the worker can run it from the row alone.</summary>
public sealed class Deployment
{
    /// <summary>"dep_" + 16 hex digits.</summary>
    public required string Id { get; set; }
    public required string Connection { get; set; }
    public required string Name { get; set; }
    public string Status { get; set; } = DeploymentStatus.Requested;

    /// <summary>The template or VM cloned, on <see cref="SourceNode"/>; <see cref="SourceSnapshot"/> clones a snapshot of it.</summary>
    public int SourceVmId { get; set; }
    public required string SourceNode { get; set; }
    public string? SourceSnapshot { get; set; }
    public bool SourceIsTemplate { get; set; }

    /// <summary>Where the new VM goes (chosen or elected), its storage (null: the source's), full or linked clone.</summary>
    public required string TargetNode { get; set; }
    public bool NodeElected { get; set; }
    public string? Storage { get; set; }
    public bool FullClone { get; set; } = true;

    /// <summary>Wanted VMID (null: PVE's next free one, allocated by the worker); the allocated one once known.</summary>
    public int? VmId { get; set; }
    public int? Cores { get; set; }
    public int? MemoryMb { get; set; }
    public string? CiUser { get; set; }
    /// <summary>Public keys, one per line, as the user gave them (URL-encoded only on the way to PVE).</summary>
    public string? SshKeys { get; set; }
    public string? IpConfig0 { get; set; }
    public bool StartAfter { get; set; }

    /// <summary>UPID of the clone task, then of the last task the worker started.</summary>
    public string? Upid { get; set; }
    public string? LastError { get; set; }

    public required string RequestedBy { get; set; }
    public string? RequestedFrom { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
