using System.Diagnostics;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Vms;

/// <summary>The VM list at 10,200 guests (three connections of 3,400): what a poll costs and what it changes. Prints
/// figures (no timed assertions); asserts what must hold whatever the machine.</summary>
public sealed class VmListScaleTests
{
    private static GuestResource[] Estate(int connection) =>
    [
        .. Enumerable.Range(0, 3400).Select(i => Guest(connection * 100_000 + i, $"web-{i:0000}", status: i % 10 < 7 ? "running" : "stopped",
            node: $"dc{connection}-pve{i % 16 + 1:00}", tags: [i % 3 == 0 ? "env-prod" : "env-dev", $"client-{i % 40}"])),
    ];

    [Fact]
    public void APollChangingOnePercent_KeepsTheOtherRows_AndAFilterIsOnePass()
    {
        var output = TestContext.Current.TestOutputHelper;
        var hub = new InventoryHub();
        var cache = new VmRowCache();
        var list = new VmListService(hub, cache);
        var guests = Enumerable.Range(1, 3).Select(Estate).ToArray();
        for (var c = 0; c < 3; c++) hub.Publish(Snapshot($"dc{c + 1}", guests[c]));

        var clock = Stopwatch.StartNew();
        var first = list.Query(new VmListQuery());
        var build = clock.Elapsed;
        Assert.Equal(10_200, first.Total);
        Assert.Equal(VmListQuery.DefaultPageSize, first.Rows.Count);

        var warmQuery = Fastest(() => Assert.True(list.Query(new VmListQuery()).SameAs(first)));
        var filter = Fastest(() => Assert.All(list.Query(new VmListQuery(Status: "running", Tags: ["env-prod"], Name: "web-01")).Rows,
            r => Assert.Contains("web-01", r.Name)));

        clock.Restart();
        var sorted = list.Query(new VmListQuery(Sort: VmColumn.Cpu, Descending: true));
        var sort = clock.Elapsed;
        Assert.Equal(VmListQuery.DefaultPageSize, sorted.Rows.Count);

        // Next poll: 1 % of the guests changed (34 per connection).
        var before = list.Query(new VmListQuery(PageSize: 0)).Rows.ToDictionary(r => r.Key);
        for (var c = 0; c < 3; c++)
        {
            var next = guests[c].ToArray();
            for (var i = 0; i < next.Length; i += 100) next[i] = next[i] with { Cpu = next[i].Cpu + 0.01 };
            hub.Publish(Snapshot($"dc{c + 1}", next) with { At = T0.AddSeconds(3) });
        }
        clock.Restart();
        var after = list.Query(new VmListQuery(PageSize: 0));
        var poll = clock.Elapsed;
        var changed = after.Rows.Count(r => !ReferenceEquals(before[r.Key], r));
        Assert.Equal(102, changed);

        output?.WriteLine($"[figure] 10,200 guests: first query (rows + estate + VMID order) {build.TotalMilliseconds:0.0} ms; same poll again (fastest of 5) {warmQuery.TotalMilliseconds:0.00} ms; "
            + $"filter status+tag+name (fastest of 5) {filter.TotalMilliseconds:0.00} ms; first sort by CPU {sort.TotalMilliseconds:0.0} ms; "
            + $"next poll (1 % changed) rebuilt in {poll.TotalMilliseconds:0.0} ms with {changed} new row instances of {after.Total:N0}");
    }

    private static TimeSpan Fastest(Action action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            if (clock.Elapsed < best) best = clock.Elapsed;
        }
        return best;
    }
}
