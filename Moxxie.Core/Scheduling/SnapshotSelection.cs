using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Scheduling;

/// <summary>Which existing snapshots a job removes (the engine then deletes them): pure rules over one VM's snapshot list.</summary>
public static class SnapshotSelection
{
    /// <summary>snapshot_delete: snapshots matching the name pattern that are due (age threshold or, with checkDescription, their
    /// " (TTL: Nh)" marker); in safe mode only those in <paramref name="madeByMoxxie"/>. Oldest first; never "current".</summary>
    public static IReadOnlyList<Snapshot> ToDelete(IEnumerable<Snapshot> snapshots, SnapshotDeleteParameters p, ISet<string> madeByMoxxie, DateTimeOffset now) =>
        [.. snapshots
            .Where(s => !s.IsCurrent && p.NameMatches(s.Name) && p.IsDue(s.Time, s.Description, now))
            .Where(s => !p.SafeMode || madeByMoxxie.Contains(s.Name))
            .OrderBy(s => s.Time)];

    /// <summary>maxSnapshots: of the snapshots this job made (<paramref name="madeByJob"/>) that still exist, all but the newest
    /// <paramref name="keep"/>. Others' snapshots are neither counted nor touched.</summary>
    public static IReadOnlyList<Snapshot> Prune(IEnumerable<Snapshot> snapshots, ISet<string> madeByJob, int keep) =>
        [.. snapshots
            .Where(s => !s.IsCurrent && madeByJob.Contains(s.Name))
            .OrderByDescending(s => s.Time).ThenByDescending(s => s.Name, StringComparer.Ordinal)
            .Skip(keep)
            .OrderBy(s => s.Time)];
}
