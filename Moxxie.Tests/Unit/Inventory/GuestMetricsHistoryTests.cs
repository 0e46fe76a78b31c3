using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Inventory;

public sealed class GuestMetricsHistoryTests
{
    private static GuestResource Web(double cpu, long netIn, long netOut, string status = "running") =>
        Guest(101, "web", status) with { Cpu = cpu, NetIn = netIn, NetOut = netOut };

    [Fact]
    public void CpuHistory_KeepsTheLastSamples_OldestFirst_Bounded()
    {
        var history = new GuestMetricsHistory(capacity: 3);
        IReadOnlyDictionary<int, GuestMetrics> m = new Dictionary<int, GuestMetrics>();
        for (var i = 1; i <= 5; i++) m = history.Update([Web(i / 10.0, 0, 0)], T0.AddSeconds(3 * i));

        Assert.Equal([0.3, 0.4, 0.5], m[101].CpuHistory.Select(c => Math.Round(c, 2)));
    }

    [Fact]
    public void Rates_ComeFromCounterDeltas_AndHoldWhilePveHasNotUpdatedItsCounters()
    {
        var history = new GuestMetricsHistory();
        Assert.Equal(0, history.Update([Web(0.1, 1_000, 500)], T0)[101].NetInRate);

        var m = history.Update([Web(0.1, 31_000, 10_500)], T0.AddSeconds(10))[101];
        Assert.Equal(3_000, m.NetInRate);
        Assert.Equal(1_000, m.NetOutRate);

        // Same counters 3 s later (pvestatd did not refresh yet): the rate is kept, not dropped to 0.
        Assert.Equal(3_000, history.Update([Web(0.1, 31_000, 10_500)], T0.AddSeconds(13))[101].NetInRate);
        // Next movement is measured from the last change (10 s), not from the last poll.
        Assert.Equal(1_000, history.Update([Web(0.1, 41_000, 10_500)], T0.AddSeconds(20))[101].NetInRate);
        // No movement for longer than RateHold: idle.
        Assert.Equal(0, history.Update([Web(0.1, 41_000, 10_500)], T0.AddSeconds(20) + GuestMetricsHistory.RateHold + TimeSpan.FromSeconds(1))[101].NetInRate);
    }

    [Fact]
    public void CountersGoingBackwards_OrAStoppedGuest_GiveZeroRates_AndGoneGuestsAreForgotten()
    {
        var history = new GuestMetricsHistory();
        history.Update([Web(0.1, 50_000, 50_000)], T0);
        Assert.Equal(0, history.Update([Web(0.1, 10, 10)], T0.AddSeconds(3))[101].NetInRate);   // restarted: counters reset
        Assert.Equal(0, history.Update([Web(0, 10, 10, "stopped")], T0.AddSeconds(6))[101].NetInRate);

        var next = history.Update([Guest(102, "db")], T0.AddSeconds(9));
        Assert.False(next.ContainsKey(101));
        var back = history.Update([Web(0.2, 0, 0)], T0.AddSeconds(12));
        Assert.Single(back[101].CpuHistory);   // a new history, the old one was dropped
    }
}
