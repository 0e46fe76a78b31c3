using Moxxie.Core.Vms;

namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>
/// Render keys for the rows of a page (at most a few hundred): a VM shown before keeps its slot, wherever it moved (a sort:
/// its row moves with it rather than the row at its old position showing another VM); a VM not shown before takes the
/// slot of one that left, in the order they were shown (a filter or another page: the rows update in place, as if
/// unkeyed, which is a fraction of the bytes and browser work of new rows); only when the page grows are new slots made.
/// </summary>
public sealed class RowSlots
{
    private IReadOnlyList<VmListRow>? _of;
    private int[] _slots = [];
    private Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>The slot of each row (the same array for the same list instance).</summary>
    public int[] For(IReadOnlyList<VmListRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (ReferenceEquals(rows, _of)) return _slots;
        var slots = new int[rows.Count];
        var byKey = new Dictionary<string, int>(rows.Count, StringComparer.Ordinal);
        var taken = new HashSet<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var key = VmRowText.Of(rows[i]).Key;
            if (_byKey.TryGetValue(key, out var slot) && taken.Add(slot))
            {
                slots[i] = slot;
                byKey[key] = slot;
            }
            else
            {
                slots[i] = -1;
            }
        }
        var free = new Queue<int>(_slots.Where(s => !taken.Contains(s)));
        for (var i = 0; i < rows.Count; i++)
        {
            if (slots[i] >= 0) continue;
            var slot = free.Count > 0 ? free.Dequeue() : _next++;
            slots[i] = slot;
            byKey.TryAdd(VmRowText.Of(rows[i]).Key, slot);
        }
        _of = rows;
        _slots = slots;
        _byKey = byKey;
        return slots;
    }
}
