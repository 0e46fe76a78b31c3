using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Snapshots;

/// <summary>One snapshot in the tree: PVE's entry, its TTL when Moxxie set one, its children (oldest first), and whether
/// the VM currently runs on it (it is the parent of PVE's "current" entry).</summary>
public sealed record SnapshotNode(Snapshot Snapshot, SnapshotTtlInfo? Ttl, IReadOnlyList<SnapshotNode> Children, bool IsCurrentParent, int Depth)
{
    public string Name => Snapshot.Name;
}

/// <summary>TTL of a snapshot: hours, when it expires and how long is left at the time the tree was built (zero when past).</summary>
public sealed record SnapshotTtlInfo(int Hours, DateTimeOffset ExpiresAt, TimeSpan Remaining)
{
    public bool Expired => Remaining <= TimeSpan.Zero;
}

/// <summary>The snapshots of one VM as a tree. <see cref="Entries"/> is PVE's list as it came (with "current"),
/// <see cref="Roots"/> the tree (snapshots whose parent is missing are roots), <see cref="Flat"/> the tree in display
/// order (depth first, oldest first), <see cref="CurrentParent"/> the snapshot the VM runs on (null: none).</summary>
public sealed record SnapshotTree(IReadOnlyList<Snapshot> Entries, IReadOnlyList<SnapshotNode> Roots, string? CurrentParent, bool Running)
{
    public IReadOnlyList<SnapshotNode> Flat { get; } = [.. Walk(Roots)];

    public SnapshotNode? Find(string name) => Flat.FirstOrDefault(n => n.Name == name);

    private static IEnumerable<SnapshotNode> Walk(IEnumerable<SnapshotNode> nodes)
    {
        foreach (var node in nodes)
        {
            yield return node;
            foreach (var child in Walk(node.Children)) yield return child;
        }
    }
}

/// <summary>What the user asks for: a name (PVE's rules), an optional description, RAM state (running qemu only), TTL in hours.</summary>
public sealed record SnapshotCreate(string? Name, string? Description = null, bool IncludeRam = false, int? TtlHours = null);

/// <summary>An accepted snapshot action: PVE's task and a sentence for the user.</summary>
public sealed record SnapshotActionResult(string Upid, string Message, string Connection, string Node);

/// <summary>One round of the reaper: expired rows seen, snapshots deleted, already gone, failures (left for the next round).</summary>
public sealed record ReapResult(int Expired, int Deleted, int AlreadyGone, int Failed);

/// <summary>What PVE reports of a snapshot's size: its RAM state volume (snapshots taken with RAM) as listed by the storage,
/// else nothing — PVE's API has no size for disk snapshots. <see cref="Note"/> says which, for the details panel.</summary>
public sealed record SnapshotSize(string? StateVolume, long? StateBytes, string Note);
