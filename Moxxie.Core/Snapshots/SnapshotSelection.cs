using System.Globalization;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Snapshots;

/// <summary>Which snapshots of one VM a bulk "delete snapshots" removes. Every criterion given must hold:
/// <see cref="Names"/> (explicit names), <see cref="Pattern"/> (glob on the snapshot name, * and ?, case-insensitive),
/// due — older than <see cref="AgeThresholdHours"/> or, with <see cref="CheckDescription"/>, past the TTL of its
/// " (TTL: Nh)" description marker (when neither is given every candidate is due) —, <see cref="SafeMode"/> (only snapshots
/// Moxxie made, see <see cref="SnapshotSelection.MadeByMoxxie"/>) and <see cref="MadeByJob"/> (only snapshots that scheduler
/// job made). <see cref="KeepNewest"/> then keeps the newest N of what is left. "current" is never a candidate.</summary>
public sealed record SnapshotDeleteCriteria
{
    public IReadOnlyList<string>? Names { get; init; }
    public string? Pattern { get; init; }
    public int? AgeThresholdHours { get; init; }
    public bool CheckDescription { get; init; }
    public bool SafeMode { get; init; } = true;
    public int? KeepNewest { get; init; }
    public string? MadeByJob { get; init; }
}

/// <summary>A record Moxxie wrote when it created a snapshot: the name, when (Moxxie's clock, around the POST) and where
/// from (<see cref="Source"/>: the bulk operation's source such as "scheduler job {id} fire …", or "audit" / "ttl").</summary>
public sealed record SnapshotOrigin(string Name, DateTimeOffset At, string Source);

/// <summary>One snapshot's verdict in a plan: deleted or kept, and why (in words).</summary>
public sealed record SnapshotDecision(string Name, DateTimeOffset? Time, bool Delete, string Reason);

/// <summary>The pure rules of snapshot deletion (bulk "delete snapshots", the scheduler's snapshot_delete and the
/// maxSnapshots prune).</summary>
public static class SnapshotSelection
{
    /// <summary>How far PVE's snapshot time may lie from the time of Moxxie's record and still be the snapshot Moxxie made
    /// (covers clock skew between Moxxie and PVE and a snapshot task that waited; a snapshot of the same name made later by
    /// hand, after Moxxie's was deleted, lies outside it).</summary>
    public static readonly TimeSpan OriginTolerance = TimeSpan.FromMinutes(15);

    /// <summary>Bulk operations a scheduler job submits have a Source starting with this (<c>BulkRunExecutor.Source</c>).</summary>
    public static string JobSourcePrefix(string jobId) => $"scheduler job {jobId} ";

    /// <summary>"Made by Moxxie": Moxxie has a record of creating a snapshot of this name on this VM (a successful
    /// SNAPSHOT_CREATE audit row — the dialog, the API, bulk and scheduled snapshots and pre-change snapshots all create
    /// through SnapshotService, which writes it —, a succeeded bulk snapshot task, or a TTL row) AND PVE's snapshot time
    /// lies within <see cref="OriginTolerance"/> of that record. The name alone is not enough: a snapshot deleted and made
    /// again by hand under the same name is not Moxxie's. A snapshot without a time is never taken for Moxxie's.</summary>
    public static bool MadeByMoxxie(Snapshot s, IEnumerable<SnapshotOrigin> origins) => Matches(s, origins, null);

    /// <summary>"Made by this job": as <see cref="MadeByMoxxie"/>, but only records of snapshot tasks of bulk operations the
    /// job submitted (Source "scheduler job {id} …", scheduled or run now). The job's name pattern is not consulted: a job
    /// whose pattern was edited still owns what it made, and a snapshot that merely looks like the pattern is not its.</summary>
    public static bool MadeByJob(Snapshot s, IEnumerable<SnapshotOrigin> origins, string jobId) => Matches(s, origins, JobSourcePrefix(jobId));

    private static bool Matches(Snapshot s, IEnumerable<SnapshotOrigin> origins, string? sourcePrefix) =>
        !s.IsCurrent && s.Time is { } taken && origins.Any(o =>
            string.Equals(o.Name, s.Name, StringComparison.Ordinal)
            && (sourcePrefix is null || o.Source.StartsWith(sourcePrefix, StringComparison.Ordinal))
            && (taken - o.At).Duration() <= OriginTolerance);

    /// <summary>The verdict for each snapshot of one VM (not "current"), oldest first; the deletions in the order to run.</summary>
    public static IReadOnlyList<SnapshotDecision> Decide(IEnumerable<Snapshot> snapshots, SnapshotDeleteCriteria c, IReadOnlyCollection<SnapshotOrigin> origins, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(c);
        var names = c.Names is { Count: > 0 } n ? n.ToHashSet(StringComparer.Ordinal) : null;
        var glob = string.IsNullOrWhiteSpace(c.Pattern) ? null : BulkRules.Glob(c.Pattern);
        var timed = c.AgeThresholdHours is not null || c.CheckDescription;
        var decisions = new List<SnapshotDecision>();
        var due = new List<(Snapshot Snap, string Why)>();
        foreach (var s in snapshots.Where(s => !s.IsCurrent).OrderBy(s => s.Time ?? DateTimeOffset.MinValue).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            string? keep = null;
            var why = "selected";
            if (names is not null && !names.Contains(s.Name)) keep = "not among the names asked for";
            else if (glob is not null && !glob.IsMatch(s.Name)) keep = $"name does not match '{c.Pattern}'";
            else if (c.MadeByJob is { } job && !MadeByJob(s, origins, job)) keep = "not made by this job";
            else if (c.MadeByJob is null && c.SafeMode && !MadeByMoxxie(s, origins)) keep = "not made by Moxxie (safe mode)";
            else if (timed)
            {
                (keep, why) = Due(s, c, now);
            }
            else why = names is not null ? "named" : glob is not null ? $"matches '{c.Pattern}'" : c.MadeByJob is not null ? "made by this job" : "selected";
            if (keep is not null) decisions.Add(new SnapshotDecision(s.Name, s.Time, false, keep));
            else due.Add((s, why));
        }
        var kept = c.KeepNewest is { } k
            ? due.OrderByDescending(d => d.Snap.Time ?? DateTimeOffset.MinValue).ThenByDescending(d => d.Snap.Name, StringComparer.Ordinal)
                .Take(k).Select(d => d.Snap.Name).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var (s, why) in due)
        {
            decisions.Add(kept.Contains(s.Name)
                ? new SnapshotDecision(s.Name, s.Time, false, $"one of the newest {c.KeepNewest}")
                : new SnapshotDecision(s.Name, s.Time, true, c.KeepNewest is { } keep ? $"{why}; older than the newest {keep}" : why));
        }
        return [.. decisions.OrderBy(d => d.Time ?? DateTimeOffset.MinValue).ThenBy(d => d.Name, StringComparer.Ordinal)];
    }

    /// <summary>Null and why it is due, or why it is not.</summary>
    private static (string? Keep, string Why) Due(Snapshot s, SnapshotDeleteCriteria c, DateTimeOffset now)
    {
        if (s.Time is not { } taken) return ("PVE reports no time for it", "");
        var age = now - taken;
        if (c.AgeThresholdHours is { } h && age >= TimeSpan.FromHours(h)) return (null, $"older than {h} h (taken {Ago(age)} ago)");
        if (c.CheckDescription && SnapshotRules.TtlHours(s.Description) is { } ttl)
        {
            if (age >= TimeSpan.FromHours(ttl)) return (null, $"its TTL of {ttl} h has passed");
            return ($"its TTL of {ttl} h has not passed (taken {Ago(age)} ago)", "");
        }
        if (c.AgeThresholdHours is { } hours) return ($"younger than {hours} h (taken {Ago(age)} ago)", "");
        return ("no TTL marker in its description", "");
    }

    private static string Ago(TimeSpan age) =>
        age.TotalHours >= 48 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalDays:0} d")
        : age.TotalMinutes >= 90 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0} h")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, age.TotalMinutes):0} min");
}
