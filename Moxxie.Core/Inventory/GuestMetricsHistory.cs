using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Inventory;

/// <summary>
/// Per-connection memory of the last polls (one instance per refresher loop; not thread-safe): a bounded ring of CPU
/// samples per guest and the last counter reading, turned into <see cref="GuestMetrics"/> on each poll. Guests that
/// disappear are forgotten, so memory stays bounded by guests × <see cref="Capacity"/>.
/// </summary>
/// <remarks>PVE refreshes its counters every ~10 s (pvestatd), so two polls may see the same values: a rate is computed
/// only when a counter moved, over the time since the previous move, and kept until <see cref="RateHold"/> passes
/// without movement (then 0). A counter that went backwards (guest restarted) restarts the measurement.</remarks>
public sealed class GuestMetricsHistory(int capacity = GuestMetricsHistory.DefaultCapacity)
{
    public const int DefaultCapacity = 20;

    /// <summary>How long a rate is shown without new counter movement.</summary>
    public static readonly TimeSpan RateHold = TimeSpan.FromSeconds(30);

    private readonly Dictionary<int, State> _states = [];

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Records one poll and returns every guest's metrics (by VMID).</summary>
    public IReadOnlyDictionary<int, GuestMetrics> Update(IReadOnlyList<GuestResource> guests, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(guests);
        var result = new Dictionary<int, GuestMetrics>(guests.Count);
        var seen = new HashSet<int>();
        foreach (var g in guests)
        {
            if (!seen.Add(g.VmId)) continue;
            if (!_states.TryGetValue(g.VmId, out var state))
            {
                state = new State(Capacity);
                _states[g.VmId] = state;
            }
            result[g.VmId] = state.Next(g, at);
        }
        if (_states.Count > seen.Count)
            foreach (var gone in _states.Keys.Where(k => !seen.Contains(k)).ToList())
                _states.Remove(gone);
        return result;
    }

    private sealed class State(int capacity)
    {
        private readonly double[] _cpu = new double[capacity];
        private int _count;
        private int _next;
        private Counters? _counters;
        private DateTimeOffset _countersAt;
        private Rates _rates = Rates.Zero;

        public GuestMetrics Next(GuestResource g, DateTimeOffset at)
        {
            _cpu[_next] = g.Status == "running" ? Math.Clamp(g.Cpu, 0, 1) : 0;
            _next = (_next + 1) % _cpu.Length;
            _count = Math.Min(_count + 1, _cpu.Length);

            var now = new Counters(g.NetIn, g.NetOut, g.DiskRead, g.DiskWrite);
            if (g.Status != "running")
            {
                _rates = Rates.Zero;
                _counters = now;
                _countersAt = at;
            }
            else if (_counters is not { } before || now.Below(before))
            {
                _rates = Rates.Zero;   // first sight, or the counters restarted
                _counters = now;
                _countersAt = at;
            }
            else if (now != before)
            {
                var seconds = (at - _countersAt).TotalSeconds;
                if (seconds > 0)
                    _rates = new Rates((now.NetIn - before.NetIn) / seconds, (now.NetOut - before.NetOut) / seconds,
                        (now.DiskRead - before.DiskRead) / seconds, (now.DiskWrite - before.DiskWrite) / seconds);
                _counters = now;
                _countersAt = at;
            }
            else if (at - _countersAt > RateHold)
            {
                _rates = Rates.Zero;
            }

            var history = new double[_count];
            var start = (_next - _count + _cpu.Length) % _cpu.Length;
            for (var i = 0; i < _count; i++) history[i] = _cpu[(start + i) % _cpu.Length];
            return new GuestMetrics(history, _rates.NetIn, _rates.NetOut, _rates.DiskRead, _rates.DiskWrite);
        }
    }

    private readonly record struct Counters(long NetIn, long NetOut, long DiskRead, long DiskWrite)
    {
        public bool Below(Counters other) => NetIn < other.NetIn || NetOut < other.NetOut || DiskRead < other.DiskRead || DiskWrite < other.DiskWrite;
    }

    private readonly record struct Rates(double NetIn, double NetOut, double DiskRead, double DiskWrite)
    {
        public static Rates Zero => default;
    }
}
