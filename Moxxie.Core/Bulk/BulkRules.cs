using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Snapshots;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Bulk;

/// <summary>The per-VM decisions of a plan (pure: the VM as seen in, the entry out) and the snapshot name pattern.</summary>
public static partial class BulkRules
{
    /// <summary>Power actions a bulk operation offers (no reset: a hard reset of many VMs at once is not offered).</summary>
    public static readonly IReadOnlyList<PowerAction> PowerActions =
        [PowerAction.Start, PowerAction.Stop, PowerAction.Shutdown, PowerAction.Reboot, PowerAction.Suspend, PowerAction.Resume];

    /// <summary>Actions that change a running system and so may take a pre-change snapshot.</summary>
    public static bool IsDestructive(string action) => action is "stop" or "shutdown" or "reboot" or "delete";

    /// <summary>The snapshot name for a VM: {vm} (the VM's name made snapshot-safe), {vmid}, {date} yyyyMMdd, {time} HHmmss,
    /// {datetime} yyyyMMdd-HHmmss (UTC).</summary>
    public static string SnapshotName(string pattern, string vmName, int? vmId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var utc = at.ToUniversalTime();
        return pattern
            .Replace("{vm}", SafeName(vmName), StringComparison.OrdinalIgnoreCase)
            .Replace("{vmid}", vmId?.ToString(CultureInfo.InvariantCulture) ?? "", StringComparison.OrdinalIgnoreCase)
            .Replace("{datetime}", utc.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
            .Replace("{date}", utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
            .Replace("{time}", utc.ToString("HHmmss", CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A VM name as a snapshot-name part: letters, digits, '-' and '_' kept, others become '-'.</summary>
    public static string SafeName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        return sb.ToString();
    }

    /// <summary>Effective status: "paused" when QEMU reports a running VM paused.</summary>
    public static string EffectiveStatus(string status, string? qmpStatus) =>
        status == "running" && qmpStatus is "paused" or "suspended" ? "paused" : status;

    /// <summary>A power entry: would the action do something and be accepted, or why not.</summary>
    public static BulkPlanEntry Power(VmView vm, PowerAction action)
    {
        var verb = action.ToString().ToLowerInvariant();
        var entry = Entry(vm, verb);
        var label = $"{vm.Name} ({vm.VmId})";
        var status = vm.Status.ToLowerInvariant();
        if (vm.Guest.Template) return entry with { WouldSucceed = false, Reason = $"{label} is a template.", ReasonCode = BulkReasons.Template };
        if (vm.Guest.Lock is { } l && !(action is PowerAction.Start or PowerAction.Resume && l == "suspended"))
            return entry with { WouldSucceed = false, Reason = $"VM is locked ({l})", ReasonCode = BulkReasons.Locked };
        var already = (action, status) switch
        {
            (PowerAction.Start, "running") => "already running",
            (PowerAction.Stop or PowerAction.Shutdown, "stopped") => "already stopped",
            (PowerAction.Suspend, "paused" or "suspended") => "already suspended",
            (PowerAction.Resume, "running") => "already running",
            _ => null,
        };
        if (already is not null) return entry with { WouldSucceed = false, Reason = $"{label} is {already}.", ReasonCode = BulkReasons.AlreadyInState };
        if (!VmService.AllowedActions(vm.Status, vm.Guest.Type).Contains(action))
            return entry with { WouldSucceed = false, Reason = $"Cannot {verb} {label} while it is {status}.", ReasonCode = BulkReasons.WrongState };
        return entry;
    }

    /// <summary>A snapshot entry; <paramref name="existing"/> are the VM's snapshot names (without "current").</summary>
    public static BulkPlanEntry Snapshot(VmView vm, BulkSnapshotParameters p, IReadOnlyCollection<string> existing, DateTimeOffset at)
    {
        var name = SnapshotName(p.NamePattern, vm.Name, vm.VmId, at);
        var entry = Entry(vm, "snapshot") with { ProposedName = name, CurrentSnapshots = existing.Count };
        if (vm.Guest.Template) return entry with { WouldSucceed = false, Reason = $"{vm.Name} is a template.", ReasonCode = BulkReasons.Template };
        if (vm.Guest.Lock is { } l) return entry with { WouldSucceed = false, Reason = $"VM is locked ({l})", ReasonCode = BulkReasons.Locked };
        if (SnapshotRules.NameError(name, existing) is { } e) return entry with { WouldSucceed = false, Reason = $"'{name}': {e}", ReasonCode = BulkReasons.Invalid };
        if (p.IncludeVmState && (vm.Guest.Type != GuestType.Qemu || vm.Status != "running"))
            return entry with { WouldSucceed = false, Reason = "RAM state is only saved for a running QEMU VM.", ReasonCode = BulkReasons.WrongState };
        return entry;
    }

    public static BulkPlanEntry Backup(VmView vm)
    {
        var entry = Entry(vm, "backup");
        return vm.Guest.Lock is { } l ? entry with { WouldSucceed = false, Reason = $"VM is locked ({l})", ReasonCode = BulkReasons.Locked } : entry;
    }

    /// <summary>A tag entry: nothing to do when the VM already has (add) or lacks (remove) every tag.</summary>
    public static BulkPlanEntry Tags(VmView vm, IReadOnlyList<string> tags, bool add)
    {
        var entry = Entry(vm, add ? "tag-add" : "tag-remove");
        var has = vm.Guest.Tags.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var change = add ? tags.Any(t => !has.Contains(t)) : tags.Any(has.Contains);
        if (!change) return entry with { WouldSucceed = false, Reason = add ? "Has every tag already." : "Has none of the tags.", ReasonCode = BulkReasons.NoChange };
        return entry;
    }

    /// <summary>A delete entry; <paramref name="isProtected"/> from the VM's config (PVE refuses protected VMs).</summary>
    public static BulkPlanEntry Delete(VmView vm, bool isProtected)
    {
        var entry = Entry(vm, "delete") with { Protected = isProtected };
        if (isProtected) return entry with { WouldSucceed = false, Reason = $"{vm.Name} is protected (protection=1).", ReasonCode = BulkReasons.Protected };
        if (vm.Guest.Lock is { } l) return entry with { WouldSucceed = false, Reason = $"VM is locked ({l})", ReasonCode = BulkReasons.Locked };
        if (vm.Status != "stopped") return entry with { WouldSucceed = false, Reason = $"{vm.Name} is {vm.Status}; stop it first.", ReasonCode = BulkReasons.WrongState };
        return entry;
    }

    /// <summary>A snapshot-delete entry from the verdicts of <see cref="SnapshotSelection.Decide"/>: the snapshots to delete
    /// (oldest first) as the proposed name, nothing to do when none is chosen.</summary>
    public static BulkPlanEntry SnapshotDelete(VmView vm, IReadOnlyList<SnapshotDecision> decisions)
    {
        var doomed = decisions.Where(d => d.Delete).Select(d => d.Name).ToList();
        var entry = Entry(vm, "snapshot-delete") with
        {
            Snapshots = decisions, CurrentSnapshots = decisions.Count, ProposedName = doomed.Count == 0 ? null : Truncate(string.Join(", ", doomed), 128),
        };
        if (vm.Guest.Template) return entry with { WouldSucceed = false, Reason = $"{vm.Name} is a template.", ReasonCode = BulkReasons.Template };
        if (doomed.Count == 0)
            return entry with { WouldSucceed = false, Reason = decisions.Count == 0 ? "Has no snapshots." : "No snapshot to delete.", ReasonCode = BulkReasons.NoChange };
        if (vm.Guest.Lock is { } l) return entry with { WouldSucceed = false, Reason = $"VM is locked ({l})", ReasonCode = BulkReasons.Locked };
        return entry;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    /// <summary>Null when the VM as seen now is the VM the plan saw; otherwise what changed.</summary>
    public static string? Changed(BulkTask planned, string node, string status, string? lockName, bool? isProtected)
    {
        if (!string.Equals(planned.Node, node, StringComparison.OrdinalIgnoreCase)) return $"moved from {planned.Node} to {node}";
        if (planned.PlannedStatus is { } s && !string.Equals(s, status, StringComparison.OrdinalIgnoreCase)) return $"is {status}, was {s} when planned";
        if (!string.Equals(planned.PlannedLock ?? "", lockName ?? "", StringComparison.Ordinal))
            return lockName is null ? $"is no longer locked ({planned.PlannedLock})" : $"is locked ({lockName})";
        if (planned.PlannedProtected is { } p && isProtected is { } now && p != now) return now ? "is protected now" : "is no longer protected";
        return null;
    }

    /// <summary>Glob (* and ?) as an anchored case-insensitive regex.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern.Trim()).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));

    /// <summary>Estimated wall time: rounds of tasks (per-node and global limits, or one at a time) × a typical task time.</summary>
    public static double EstimateSeconds(IReadOnlyList<BulkPlanEntry> entries, BulkOptions o, double taskSeconds)
    {
        var runnable = entries.Where(e => e.WouldSucceed).ToList();
        if (runnable.Count == 0) return 0;
        if (!o.Parallel) return runnable.Count * taskSeconds;
        var perNode = runnable.GroupBy(e => (e.Connection, e.Node)).Max(g => (int)Math.Ceiling(g.Count() / (double)Math.Max(1, o.PerNodeLimit)));
        var global = (int)Math.Ceiling(runnable.Count / (double)Math.Max(1, o.MaxParallel));
        return Math.Max(perNode, global) * taskSeconds;
    }

    /// <summary>The PVE task type a task's POST starts (for finding it in the node's task list).</summary>
    public static string? TaskType(string action, string guestType) => action switch
    {
        "start" or "stop" or "shutdown" or "reboot" or "suspend" or "resume" => (guestType == "lxc" ? "vz" : "qm") + action,
        "snapshot" => guestType == "lxc" ? "vzsnapshot" : "qmsnapshot",
        "backup" => "vzdump",
        "delete" => guestType == "lxc" ? "vzdestroy" : "qmdestroy",
        "snapshot-delete" => guestType == "lxc" ? "vzdelsnapshot" : "qmdelsnapshot",
        _ => null,
    };

    private static BulkPlanEntry Entry(VmView vm, string action) =>
        new(vm.VmId, vm.Name, vm.Connection, vm.Node, vm.Guest.Type == GuestType.Lxc ? "lxc" : "qemu", action, true)
        {
            Status = vm.Status, Lock = vm.Guest.Lock,
        };
}
