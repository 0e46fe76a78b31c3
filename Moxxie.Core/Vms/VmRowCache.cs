using System.Runtime.CompilerServices;
using Moxxie.Core.Inventory;

namespace Moxxie.Core.Vms;

/// <summary>
/// Singleton: the VM list rows of each inventory snapshot, built once per snapshot whatever the number of open lists
/// (circuits filter and sort these shared, immutable rows). A row equal to the previous snapshot's row for the same guest
/// is the previous instance, so "what changed since the last poll" is a reference comparison.
/// </summary>
public sealed class VmRowCache
{
    private readonly ConditionalWeakTable<InventorySnapshot, IReadOnlyList<VmListRow>> _bySnapshot = new();
    private readonly Dictionary<string, Dictionary<int, VmListRow>> _previous = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private VmEstate _estate = VmEstate.Empty;

    /// <summary>The estate of these (loaded) snapshots: the same instance as long as none of them changed.</summary>
    public VmEstate Estate(IReadOnlyList<InventorySnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var current = _estate;
        if (SameSnapshots(current.Snapshots, snapshots)) return current;
        var rows = snapshots.SelectMany(Rows).ToArray();
        lock (_gate)
        {
            if (SameSnapshots(_estate.Snapshots, snapshots)) return _estate;
            var estate = new VmEstate(snapshots, rows);
            _estate = estate;
            return estate;
        }
    }

    private static bool SameSnapshots(IReadOnlyList<InventorySnapshot> a, IReadOnlyList<InventorySnapshot> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (!ReferenceEquals(a[i], b[i])) return false;
        return true;
    }

    /// <summary>Rows of one snapshot, in PVE's order (templates included).</summary>
    public IReadOnlyList<VmListRow> Rows(InventorySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (_bySnapshot.TryGetValue(snapshot, out var cached)) return cached;
        lock (_gate)
        {
            if (_bySnapshot.TryGetValue(snapshot, out cached)) return cached;
            var before = _previous.GetValueOrDefault(snapshot.Connection) ?? [];
            var rows = new VmListRow[snapshot.Resources.Guests.Count];
            var next = new Dictionary<int, VmListRow>(rows.Length);
            for (var i = 0; i < rows.Length; i++)
            {
                var g = snapshot.Resources.Guests[i];
                var row = VmListRow.From(snapshot.Connection, g, snapshot.MetricsOf(g.VmId));
                if (before.TryGetValue(g.VmId, out var old) && old.Equals(row)) row = old;
                rows[i] = row;
                next[g.VmId] = row;
            }
            _previous[snapshot.Connection] = next;
            _bySnapshot.AddOrUpdate(snapshot, rows);
            return rows;
        }
    }
}
