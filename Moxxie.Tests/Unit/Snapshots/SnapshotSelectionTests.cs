using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Snapshots;
using Moxxie.Core.Vms;
using Xunit;

namespace Moxxie.Tests.Unit.Snapshots;

/// <summary>Which snapshots a bulk "delete snapshots" removes and why the others stay: names, pattern, age, TTL marker,
/// safe mode ("made by Moxxie" = a record of Moxxie creating that name whose time agrees with PVE's snapshot time),
/// "made by this job" and keep-newest-N; "current" is never a candidate.</summary>
public sealed class SnapshotSelectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static Snapshot Snap(string name, double hoursAgo, string? description = null) =>
        new(name, null, description, Now.AddHours(-hoursAgo), false, false, null);

    private static readonly Snapshot Current = new("current", "a", "You are here!", null, false, true, true);

    private static SnapshotOrigin Made(string name, double hoursAgo, string source = "audit") => new(name, Now.AddHours(-hoursAgo).AddSeconds(2), source);

    private static Dictionary<string, SnapshotDecision> ByName(IEnumerable<SnapshotDecision> d) => d.ToDictionary(x => x.Name);

    [Fact]
    public void Safe_mode_deletes_old_moxxie_snapshots_and_keeps_hand_made_young_and_current_ones_saying_why()
    {
        var snaps = new[] { Snap("auto-1", 200), Snap("hand-old", 300), Snap("auto-young", 2), Current };
        var origins = new[] { Made("auto-1", 200), Made("auto-young", 2) };
        var decisions = SnapshotSelection.Decide(snaps, new SnapshotDeleteCriteria { AgeThresholdHours = 168 }, origins, Now);

        Assert.DoesNotContain(decisions, d => d.Name == "current");
        Assert.Equal(["hand-old", "auto-1", "auto-young"], decisions.Select(d => d.Name));   // oldest first
        var by = ByName(decisions);
        Assert.True(by["auto-1"].Delete);
        Assert.StartsWith("older than 168 h", by["auto-1"].Reason, StringComparison.Ordinal);
        Assert.False(by["hand-old"].Delete);
        Assert.Equal("not made by Moxxie (safe mode)", by["hand-old"].Reason);
        Assert.False(by["auto-young"].Delete);
        Assert.StartsWith("younger than 168 h", by["auto-young"].Reason, StringComparison.Ordinal);

        var unsafeMode = ByName(SnapshotSelection.Decide(snaps, new SnapshotDeleteCriteria { AgeThresholdHours = 168, SafeMode = false }, origins, Now));
        Assert.True(unsafeMode["hand-old"].Delete);
    }

    [Fact]
    public void A_record_of_the_same_name_far_from_the_snapshots_time_is_not_moxxies_snapshot()
    {
        // Moxxie made "nightly" 300 h ago; it was deleted and someone made "nightly" again by hand 200 h ago.
        var remade = Snap("nightly", 200);
        Assert.False(SnapshotSelection.MadeByMoxxie(remade, [Made("nightly", 300)]));
        Assert.True(SnapshotSelection.MadeByMoxxie(remade, [Made("nightly", 300), Made("nightly", 200)]));
        Assert.False(SnapshotSelection.MadeByMoxxie(remade with { Time = null }, [Made("nightly", 200)]));
        Assert.False(SnapshotSelection.MadeByMoxxie(Snap("other", 200), [Made("nightly", 200)]));
        // within the tolerance (clock skew between Moxxie and PVE)
        Assert.True(SnapshotSelection.MadeByMoxxie(remade, [new SnapshotOrigin("nightly", remade.Time!.Value.AddMinutes(-10), "ttl")]));
    }

    [Fact]
    public void Ttl_marker_is_honoured_with_check_description_whatever_the_age_threshold()
    {
        var snaps = new[] { Snap("t-due", 30, "before upgrade (TTL: 24h)"), Snap("t-young", 10, "x (TTL: 24h)"), Snap("plain", 30, "no marker") };
        var origins = snaps.Select(s => Made(s.Name, (Now - s.Time!.Value).TotalHours)).ToArray();
        var by = ByName(SnapshotSelection.Decide(snaps, new SnapshotDeleteCriteria { CheckDescription = true }, origins, Now));
        Assert.True(by["t-due"].Delete);
        Assert.Equal("its TTL of 24 h has passed", by["t-due"].Reason);
        Assert.False(by["t-young"].Delete);
        Assert.StartsWith("its TTL of 24 h has not passed", by["t-young"].Reason, StringComparison.Ordinal);
        Assert.False(by["plain"].Delete);
        Assert.Equal("no TTL marker in its description", by["plain"].Reason);

        // With an age threshold too, an old enough snapshot goes without a marker and a young marked one by its TTL.
        var both = ByName(SnapshotSelection.Decide(snaps, new SnapshotDeleteCriteria { CheckDescription = true, AgeThresholdHours = 29 }, origins, Now));
        Assert.True(both["plain"].Delete);
        Assert.False(both["t-young"].Delete);
    }

    [Fact]
    public void Names_and_pattern_narrow_and_keep_newest_keeps_the_newest_of_what_is_left()
    {
        var snaps = new[] { Snap("auto-a", 50), Snap("auto-b", 40), Snap("auto-c", 30), Snap("auto-d", 20), Snap("manual", 60) };
        var origins = snaps.Select(s => Made(s.Name, (Now - s.Time!.Value).TotalHours)).ToArray();

        var named = ByName(SnapshotSelection.Decide(snaps, new SnapshotDeleteCriteria { Names = ["auto-b", "manual"] }, origins, Now));
        Assert.Equal(["auto-b", "manual"], named.Values.Where(d => d.Delete).Select(d => d.Name).Order());
        Assert.Equal("not among the names asked for", named["auto-a"].Reason);

        var pattern = SnapshotSelection.Decide(snaps, new SnapshotDeleteCriteria { Pattern = "AUTO-*", KeepNewest = 2 }, origins, Now);
        Assert.Equal(["auto-a", "auto-b"], pattern.Where(d => d.Delete).Select(d => d.Name));
        var by = ByName(pattern);
        Assert.Equal("one of the newest 2", by["auto-d"].Reason);
        Assert.Equal("name does not match 'AUTO-*'", by["manual"].Reason);
    }

    [Fact]
    public void A_scheduled_snapshot_delete_job_deletes_by_age_or_ttl_marker_and_its_pattern_ignores_case()
    {
        var (p, errors) = JobParameters.Parse("snapshot_delete", new Dictionary<string, string?>
        {
            ["ageThresholdHours"] = "168", ["namePattern"] = "auto-*", ["checkDescription"] = "true",
        });
        Assert.Empty(errors);
        var criteria = Assert.IsType<SnapshotDeleteParameters>(p).ToBulkParameters().ToCriteria();
        var snaps = new[]
        {
            Snap("auto-old", 200, "x"), Snap("auto-young", 5, "x"), Snap("AUTO-web-1", 5, "x (TTL: 4h)"), Snap("manual", 200, "x"), Snap("hand-made", 200),
        };
        var origins = snaps.Where(s => s.Name != "hand-made").Select(s => Made(s.Name, (Now - s.Time!.Value).TotalHours)).ToArray();
        var by = ByName(SnapshotSelection.Decide(snaps.Append(Current), criteria, origins, Now));

        Assert.Equal(["AUTO-web-1", "auto-old"], by.Values.Where(d => d.Delete).Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.StartsWith("older than 168 h", by["auto-old"].Reason, StringComparison.Ordinal);
        Assert.Equal("its TTL of 4 h has passed", by["AUTO-web-1"].Reason);
        Assert.StartsWith("younger than 168 h", by["auto-young"].Reason, StringComparison.Ordinal);
        Assert.Equal("name does not match 'auto-*'", by["manual"].Reason);
        Assert.Equal("name does not match 'auto-*'", by["hand-made"].Reason);
        Assert.DoesNotContain("current", by.Keys);

        // safe mode is the job's default: an old auto-* snapshot Moxxie has no record of stays
        var unrecorded = ByName(SnapshotSelection.Decide([Snap("auto-hand", 200)], criteria, origins, Now));
        Assert.Equal("not made by Moxxie (safe mode)", unrecorded["auto-hand"].Reason);
    }

    [Fact]
    public void Made_by_job_prunes_only_that_jobs_snapshots_to_the_newest_n()
    {
        const string job = "7f1c";
        var jobSource = SnapshotSelection.JobSourcePrefix(job) + "fire 2026-12-06T02:00:00.0000000+00:00";
        var snaps = Enumerable.Range(1, 5).Select(i => Snap($"auto-{i}", 10 - i)).Append(Snap("auto-by-hand", 20)).Append(Snap("other-job", 15)).ToArray();
        var origins = snaps.Where(s => s.Name.StartsWith("auto-", StringComparison.Ordinal) && s.Name != "auto-by-hand")
            .Select(s => Made(s.Name, (Now - s.Time!.Value).TotalHours, jobSource))
            .Append(Made("other-job", 15, SnapshotSelection.JobSourcePrefix("9999") + "manual x"))
            .ToArray();
        var decisions = SnapshotSelection.Decide(snaps, new SnapshotDeleteCriteria { MadeByJob = job, KeepNewest = 3 }, origins, Now);

        Assert.Equal(["auto-1", "auto-2"], decisions.Where(d => d.Delete).Select(d => d.Name));
        var by = ByName(decisions);
        Assert.Equal("not made by this job", by["auto-by-hand"].Reason);
        Assert.Equal("not made by this job", by["other-job"].Reason);
        Assert.Equal("one of the newest 3", by["auto-5"].Reason);
        Assert.EndsWith("older than the newest 3", by["auto-1"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_entry_lists_the_deletions_and_skips_a_vm_with_nothing_to_delete_or_a_lock()
    {
        var vm = new VmView("prod", new GuestResource(101, "web-01", "pve1", GuestType.Qemu, "running", 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, [], null, null, null));
        var decisions = new[] { new SnapshotDecision("a", Now, true, "named"), new SnapshotDecision("b", Now, false, "not among the names asked for") };
        var entry = BulkRules.SnapshotDelete(vm, decisions);
        Assert.True(entry.WouldSucceed);
        Assert.Equal(("snapshot-delete", "a", 2), (entry.Action, entry.ProposedName, entry.CurrentSnapshots));

        var nothing = BulkRules.SnapshotDelete(vm, [decisions[1]]);
        Assert.Equal((false, BulkReasons.NoChange), (nothing.WouldSucceed, nothing.ReasonCode));

        var locked = BulkRules.SnapshotDelete(new VmView("prod", vm.Guest with { Lock = "backup" }), decisions);
        Assert.Equal((false, BulkReasons.Locked), (locked.WouldSucceed, locked.ReasonCode));
        Assert.Equal("qmdelsnapshot", BulkRules.TaskType("snapshot-delete", "qemu"));
        Assert.Equal("vzdelsnapshot", BulkRules.TaskType("snapshot-delete", "lxc"));
    }
}
