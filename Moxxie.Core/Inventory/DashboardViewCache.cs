namespace Moxxie.Core.Inventory;

/// <summary>
/// Singleton: the last <see cref="DashboardView"/>, reused while every connection's snapshot is the same object it was
/// built from. Fifty open dashboards then hold one view (and one set of node cards and alerts) instead of fifty copies,
/// and build it once per poll instead of once per browser. A view older than <see cref="MaxAge"/> is rebuilt anyway, so
/// the 24-hour window of failed tasks moves on while the inventory is quiet.
/// </summary>
public sealed class DashboardViewCache
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private Entry? _last;

    internal DashboardView GetOrBuild(
        IReadOnlyList<(string Name, InventorySnapshot? Snapshot)> snapshots, IReadOnlyList<InventorySnapshot> all,
        DateTimeOffset now, Func<DashboardView> build)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && now - last.BuiltAt < MaxAge && now >= last.BuiltAt && last.Matches(snapshots, all)) return last.View;
        var view = build();
        Volatile.Write(ref _last, new Entry([.. snapshots], [.. all], now, view));
        return view;
    }

    private sealed record Entry(
        (string Name, InventorySnapshot? Snapshot)[] Snapshots, InventorySnapshot[] All, DateTimeOffset BuiltAt, DashboardView View)
    {
        public bool Matches(IReadOnlyList<(string Name, InventorySnapshot? Snapshot)> snapshots, IReadOnlyList<InventorySnapshot> all)
        {
            if (snapshots.Count != Snapshots.Length || all.Count != All.Length) return false;
            for (var i = 0; i < Snapshots.Length; i++)
                if (!string.Equals(snapshots[i].Name, Snapshots[i].Name, StringComparison.Ordinal) || !ReferenceEquals(snapshots[i].Snapshot, Snapshots[i].Snapshot))
                    return false;
            for (var i = 0; i < All.Length; i++)
                if (!ReferenceEquals(all[i], All[i])) return false;
            return true;
        }
    }
}
