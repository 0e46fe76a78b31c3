using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;

namespace Moxxie.Core.Vms;

/// <summary>Listing VMs (from the in-memory inventory, no PVE round-trip) and power actions (audited, tracked).</summary>
public sealed class VmService
{
    // TODO(H2): implement. Constructor dependencies: InventoryHub, IProxmoxConnections, ITaskTracker, IAuditLog, TimeProvider.
    public IReadOnlyList<VmView> List(VmFilter filter) => throw new NotImplementedException();

    public VmView? Find(VmRef vm) => throw new NotImplementedException();

    /// <summary>Checks the actor may operate (ForbiddenException otherwise), that the action makes sense for the VM's state
    /// (refuses e.g. starting a running VM with a clear message), calls PVE (never retried), tracks the UPID and writes
    /// an audit row (VM_START, VM_STOP, VM_SHUTDOWN, VM_REBOOT, VM_RESET, VM_SUSPEND, VM_RESUME) with success or PVE's error.</summary>
    public Task<PowerResult> PowerAsync(Actor actor, VmRef vm, PowerAction action, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Which actions make sense in a status ("running" → stop/shutdown/reboot/reset/suspend; "stopped" → start; "paused" → resume/stop).</summary>
    public static IReadOnlyList<PowerAction> AllowedActions(string status) => throw new NotImplementedException();
}
