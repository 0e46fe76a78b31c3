using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Vms;

/// <summary>Which power actions a VM list row offers: one primary action as a button, the rest in its menu with the
/// reason when the VM's state does not allow them (the guide's "disabled actions with tooltip explaining why").</summary>
public static class VmRowActions
{
    /// <summary>Menu order.</summary>
    public static readonly IReadOnlyList<PowerAction> MenuOrder =
        [PowerAction.Start, PowerAction.Shutdown, PowerAction.Reboot, PowerAction.Stop, PowerAction.Reset, PowerAction.Suspend, PowerAction.Resume];

    /// <summary>Start when stopped, Shutdown when running, Resume when paused; none for templates and unknown states.</summary>
    public static PowerAction? Primary(VmListRow vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        if (vm.Template) return null;
        var allowed = VmService.AllowedActions(vm.Status, vm.Type);
        foreach (var candidate in new[] { PowerAction.Start, PowerAction.Resume, PowerAction.Shutdown })
            if (allowed.Contains(candidate)) return candidate;
        return null;
    }

    /// <summary>Every other action the guest type has (no Reset for containers) with null when allowed, else why not.</summary>
    public static IEnumerable<(PowerAction Action, string? Reason)> Secondary(VmListRow vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var primary = Primary(vm);
        var allowed = VmService.AllowedActions(vm.Status, vm.Type);
        foreach (var action in MenuOrder)
        {
            if (action == primary || !VmService.Exists(action, vm.Type)) continue;   // no Reset entry for a container
            string? reason = vm.Template ? $"{vm.Name} is a template."
                : allowed.Contains(action) ? null
                : vm.Lock is { } l ? $"{vm.Name} is {vm.Status} and locked ({l})."
                : $"Not possible while {vm.Name} is {vm.Status}.";
            yield return (action, reason);
        }
    }
}
