using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;
using Xunit;

namespace Moxxie.Tests.Unit.Bulk;

/// <summary>The per-VM decisions of a bulk plan (what a dry run shows) and the execution-time change check.</summary>
public sealed class BulkRulesTests
{
    private static VmView Vm(int vmid, string status, string? lockName = null, bool template = false, GuestType type = GuestType.Qemu,
        string name = "web-01", string node = "pve1", params string[] tags) =>
        new("prod", new GuestResource(vmid, name, node, type, status, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, template, tags, lockName, null, null));

    [Fact]
    public void Stop_of_a_running_vm_would_succeed_and_of_a_stopped_one_is_skipped_as_already_stopped()
    {
        var ok = BulkRules.Power(Vm(101, "running"), PowerAction.Stop);
        Assert.True(ok.WouldSucceed);
        Assert.Equal("stop", ok.Action);
        Assert.Equal("running", ok.Status);
        var already = BulkRules.Power(Vm(102, "stopped"), PowerAction.Stop);
        Assert.False(already.WouldSucceed);
        Assert.Equal(BulkReasons.AlreadyInState, already.ReasonCode);
        Assert.Contains("already stopped", already.Reason);
    }

    [Fact]
    public void Locked_templates_and_wrong_states_are_refused_with_their_reason()
    {
        var locked = BulkRules.Power(Vm(101, "running", "backup"), PowerAction.Shutdown);
        Assert.Equal((false, BulkReasons.Locked, "VM is locked (backup)"), (locked.WouldSucceed, locked.ReasonCode, locked.Reason));
        Assert.Equal(BulkReasons.Template, BulkRules.Power(Vm(9000, "stopped", template: true), PowerAction.Start).ReasonCode);
        Assert.Equal(BulkReasons.WrongState, BulkRules.Power(Vm(101, "stopped"), PowerAction.Reboot).ReasonCode);
        Assert.Equal(BulkReasons.AlreadyInState, BulkRules.Power(Vm(101, "paused"), PowerAction.Suspend).ReasonCode);
        // A VM suspended to disk carries lock "suspended" and is resumed by start: that lock does not block start.
        Assert.True(BulkRules.Power(Vm(101, "stopped", "suspended"), PowerAction.Start).WouldSucceed);
    }

    [Fact]
    public void Snapshot_name_pattern_fills_vm_vmid_date_time_and_datetime_in_utc()
    {
        var at = new DateTimeOffset(2026, 12, 6, 1, 2, 3, TimeSpan.FromHours(2));
        Assert.Equal("pre-maint-20261205", BulkRules.SnapshotName("pre-maint-{date}", "web 01", 101, at));
        Assert.Equal("web-01-101-230203", BulkRules.SnapshotName("{vm}-{vmid}-{time}", "web.01", 101, at));
        Assert.Equal("s-20261205-230203", BulkRules.SnapshotName("s-{datetime}", "x", 1, at));
    }

    [Fact]
    public void Snapshot_entry_shows_proposed_name_and_count_and_refuses_a_taken_name_or_ram_of_a_stopped_vm()
    {
        var at = new DateTimeOffset(2026, 6, 21, 15, 0, 0, TimeSpan.Zero);
        var ok = BulkRules.Snapshot(Vm(101, "running"), new BulkSnapshotParameters("pre-maint-{date}"), ["a1", "b2"], at);
        Assert.True(ok.WouldSucceed);
        Assert.Equal(("pre-maint-20260621", 2), (ok.ProposedName, ok.CurrentSnapshots));
        var taken = BulkRules.Snapshot(Vm(101, "running"), new BulkSnapshotParameters("pre-maint-{date}"), ["pre-maint-20260621"], at);
        Assert.Equal(BulkReasons.Invalid, taken.ReasonCode);
        Assert.Contains("already exists", taken.Reason);
        var ram = BulkRules.Snapshot(Vm(102, "stopped"), new BulkSnapshotParameters("s-{date}", IncludeVmState: true), [], at);
        Assert.Equal(BulkReasons.WrongState, ram.ReasonCode);
        Assert.Equal(BulkReasons.Locked, BulkRules.Snapshot(Vm(101, "running", "snapshot"), new BulkSnapshotParameters("s-{date}"), [], at).ReasonCode);
    }

    [Fact]
    public void Delete_respects_protection_and_wants_a_stopped_vm()
    {
        Assert.True(BulkRules.Delete(Vm(120, "stopped"), isProtected: false).WouldSucceed);
        var prot = BulkRules.Delete(Vm(120, "stopped"), isProtected: true);
        Assert.Equal((false, BulkReasons.Protected, (bool?)true), (prot.WouldSucceed, prot.ReasonCode, prot.Protected));
        Assert.Equal(BulkReasons.WrongState, BulkRules.Delete(Vm(101, "running"), false).ReasonCode);
    }

    [Fact]
    public void Tag_entries_skip_vms_that_need_no_change()
    {
        Assert.True(BulkRules.Tags(Vm(1, "running", tags: ["a"]), ["a", "b"], add: true).WouldSucceed);
        Assert.Equal(BulkReasons.NoChange, BulkRules.Tags(Vm(1, "running", tags: ["a", "B"]), ["a", "b"], add: true).ReasonCode);
        Assert.Equal(BulkReasons.NoChange, BulkRules.Tags(Vm(1, "running", tags: ["c"]), ["a"], add: false).ReasonCode);
        Assert.Equal("tag-remove", BulkRules.Tags(Vm(1, "running", tags: ["a"]), ["a"], add: false).Action);
    }

    [Fact]
    public void Change_check_names_what_differs_from_the_plan()
    {
        var planned = new BulkTask { OperationId = "b", Connection = "prod", Node = "pve1", VmName = "web", Action = "stop", PlannedStatus = "running" };
        Assert.Null(BulkRules.Changed(planned, "pve1", "running", null, null));
        Assert.Equal("is stopped, was running when planned", BulkRules.Changed(planned, "pve1", "stopped", null, null));
        Assert.Equal("is locked (backup)", BulkRules.Changed(planned, "pve1", "running", "backup", null));
        Assert.Equal("moved from pve1 to pve2", BulkRules.Changed(planned, "pve2", "running", null, null));
        var del = new BulkTask { OperationId = "b", Connection = "prod", Node = "pve1", VmName = "web", Action = "delete", PlannedStatus = "stopped", PlannedProtected = false };
        Assert.Equal("is protected now", BulkRules.Changed(del, "pve1", "stopped", null, true));
        Assert.Equal("paused", BulkRules.EffectiveStatus("running", "paused"));
    }

    [Fact]
    public void Estimate_counts_rounds_under_the_per_node_and_global_limits_or_one_at_a_time()
    {
        var entries = Enumerable.Range(0, 1000).Select(i => new BulkPlanEntry(1000 + i, "v", "c", $"n{i % 10}", "qemu", "stop", true)).ToList();
        Assert.Equal(25 * 2.0, BulkRules.EstimateSeconds(entries, new BulkOptions { PerNodeLimit = 4, MaxParallel = 40 }, 2.0));
        Assert.Equal(50 * 2.0, BulkRules.EstimateSeconds(entries, new BulkOptions { PerNodeLimit = 4, MaxParallel = 20 }, 2.0));
        Assert.Equal(1000 * 2.0, BulkRules.EstimateSeconds(entries, new BulkOptions { Parallel = false }, 2.0));
        Assert.Equal(0, BulkRules.EstimateSeconds([entries[0] with { WouldSucceed = false }], new BulkOptions(), 2.0));
    }

    [Fact]
    public void Task_types_are_pve_task_types_of_the_action()
    {
        Assert.Equal("qmstop", BulkRules.TaskType("stop", "qemu"));
        Assert.Equal("vzshutdown", BulkRules.TaskType("shutdown", "lxc"));
        Assert.Equal("qmsnapshot", BulkRules.TaskType("snapshot", "qemu"));
        Assert.Equal("vzdump", BulkRules.TaskType("backup", "lxc"));
        Assert.Equal("qmdestroy", BulkRules.TaskType("delete", "qemu"));
    }
}
