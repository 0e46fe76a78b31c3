using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Lifecycle;

/// <summary>The editable options of a VM (the edit form and PUT /api/v1/vms/{id}/config). Null: leave as is.</summary>
public sealed record VmConfigEdit
{
    public int? Cores { get; init; }
    public int? MemoryMb { get; init; }
    /// <summary>Balloon target in MiB; 0 disables the balloon device.</summary>
    public int? BalloonMb { get; init; }
    public bool? OnBoot { get; init; }
    public bool? Agent { get; init; }
    public string? Description { get; init; }
    public bool? Protection { get; init; }
    /// <summary>The config digest the form was filled from: PVE refuses the change if the config changed since.</summary>
    public string? Digest { get; init; }
}

/// <summary>The form's starting point: the values as PVE has them (pending applied) and what waits for a restart.</summary>
public sealed record VmConfigForm(
    int VmId, string Name, int Cores, int MemoryMb, int? BalloonMb, bool OnBoot, bool Agent, string? Description, bool Protection,
    string? Digest, IReadOnlyList<PendingChange> Pending, bool Running);

/// <summary>A config change or removal that PVE accepted: its UPID (null when PVE applied it synchronously) and the
/// pending changes after it (what waits for a restart).</summary>
public sealed record LifecycleResult(string? Upid, string Message, string Connection, string Node)
{
    public IReadOnlyList<string> Changed { get; init; } = [];
}
