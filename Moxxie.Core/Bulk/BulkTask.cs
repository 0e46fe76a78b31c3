namespace Moxxie.Core.Bulk;

/// <summary>One VM's part of a <see cref="BulkOperation"/>. Status pending → running → succeeded | failed; skipped when
/// the plan said it would not succeed; cancelled by an abort. The worker claims a row (<see cref="ClaimedBy"/> with a
/// lease), writes <see cref="PostingAt"/> before the POST to PVE and <see cref="Upid"/> right after, so that after a crash a
/// task with a UPID is followed and one without is checked against PVE's task list before it is sent again.</summary>
public sealed class BulkTask
{
    public long Id { get; set; }
    public required string OperationId { get; set; }
    /// <summary>Order within the operation (plan order; sequential runs follow it).</summary>
    public int Seq { get; set; }

    public required string Connection { get; set; }
    public required string Node { get; set; }
    /// <summary>Null only for a create whose VMID PVE has not allocated yet.</summary>
    public int? VmId { get; set; }
    public required string VmName { get; set; }
    /// <summary>"qemu" or "lxc".</summary>
    public string GuestType { get; set; } = "qemu";

    /// <summary>What this task does (<see cref="BulkPlanEntry.Action"/>).</summary>
    public required string Action { get; set; }
    /// <summary>Snapshot name, new VM name, … when the action makes one.</summary>
    public string? ProposedName { get; set; }
    /// <summary>The VM as the plan saw it: the task fails instead of acting when it changed since.</summary>
    public string? PlannedStatus { get; set; }
    public string? PlannedLock { get; set; }
    public bool? PlannedProtected { get; set; }
    /// <summary>Per-task parameters as JSON (e.g. a create's spec), null when the operation's suffice.</summary>
    public string? ParametersJson { get; set; }

    /// <summary><see cref="BulkTaskStatus"/>.</summary>
    public string Status { get; set; } = BulkTaskStatus.Pending;
    /// <summary>0: the pre-change snapshot (when asked for); 1: the action itself.</summary>
    public int Step { get; set; } = 1;
    /// <summary>The "about to POST" marker of the current step (set before the call, kept once the UPID is known).</summary>
    public DateTimeOffset? PostingAt { get; set; }
    /// <summary>The UPID of the current step's PVE task, written right after PVE answered.</summary>
    public string? Upid { get; set; }
    public string? PreSnapshotUpid { get; set; }
    /// <summary>Create only: the deployment (VmProvisioningService) that clones the VM.</summary>
    public string? DeploymentId { get; set; }
    public string? Message { get; set; }
    /// <summary>Why it failed or was skipped (short, e.g. "VM is locked (backup)").</summary>
    public string? Error { get; set; }
    public int Attempts { get; set; }
    /// <summary>Not claimed before this time (retry backoff).</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>The worker instance holding the task and until when (an expired lease may be taken over).</summary>
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
