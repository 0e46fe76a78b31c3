using Moxxie.Core.Inventory;
using Moxxie.Core.Vms;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Vms;

public sealed class VmListServiceTests
{
    private static VmListService Service(params InventorySnapshot[] snapshots)
    {
        var hub = new InventoryHub();
        foreach (var s in snapshots) hub.Publish(s);
        return new VmListService(hub, new VmRowCache());
    }

    private static readonly InventorySnapshot Prod = Snapshot("prod",
        Guest(101, "web-server-01", tags: ["env-prod", "web-tier"]),
        Guest(102, "database-01", status: "stopped", tags: ["env-prod"]),
        Guest(104, "web-server-02", node: "proxmox-02", tags: ["env-prod", "web-tier"]) with { Cpu = 0.8 },
        Guest(110, "web-server-10", status: "paused", node: "proxmox-02", tags: ["env-dev"]),
        Guest(9000, "tpl", status: "stopped", template: true));

    [Fact]
    public void Query_FiltersByStatusTagsNodeAndName_LikeTheApi()
    {
        var list = Service(Prod);

        var result = list.Query(new VmListQuery(Status: "running", Tags: ["ENV-PROD", "web-tier"], Name: "web"));
        Assert.Equal([101, 104], result.Rows.Select(r => r.VmId));
        Assert.Equal(2, result.Matching);
        Assert.Equal(5, result.Total);
        Assert.Equal(["env-dev", "env-prod", "web-tier"], result.Tags);
        Assert.Equal(["proxmox-01", "proxmox-02"], result.Nodes);

        Assert.Equal([104, 110], list.Query(new VmListQuery(Node: "proxmox-02")).Rows.Select(r => r.VmId));
        Assert.Equal([110], list.Query(new VmListQuery(Status: "paused")).Rows.Select(r => r.VmId));
    }

    [Fact]
    public void Query_SortsByAnyColumn_NaturallyForNames_ThenByVmid()
    {
        var list = Service(Prod);

        Assert.Equal(["database-01", "tpl", "web-server-01", "web-server-02", "web-server-10"],
            list.Query(new VmListQuery(Sort: VmColumn.Name)).Rows.Select(r => r.Name));
        Assert.Equal([104, 101], list.Query(new VmListQuery(Sort: VmColumn.Cpu, Descending: true)).Rows.Take(2).Select(r => r.VmId));
        Assert.Equal([9000, 110, 104, 102, 101], list.Query(new VmListQuery(Descending: true)).Rows.Select(r => r.VmId));
    }

    [Fact]
    public void Query_Pages_AndZeroPageSizeShowsEveryRow()
    {
        var list = Service(Prod);

        var page2 = list.Query(new VmListQuery(Page: 2, PageSize: 2));
        Assert.Equal([104, 110], page2.Rows.Select(r => r.VmId));
        Assert.Equal((3, 3, 4), (page2.PageCount, page2.First, page2.Last));
        Assert.Equal(3, list.Query(new VmListQuery(Page: 99, PageSize: 2)).Page);   // clamped to the last page
        Assert.Equal(5, list.Query(new VmListQuery(PageSize: 0)).Rows.Count);
    }

    [Fact]
    public void Query_NameFilter_FromTheNameIndex_FindsWhatAScanFinds_InEveryOrder()
    {
        string[] prefixes = ["web", "DB", "k8s-worker", "Redis", "win-rdsh", "ab", "cd"];
        var guests = Enumerable.Range(0, 400).Select(i => Guest(1000 + i, $"{prefixes[i % prefixes.Length]}-{i:000}",
            status: i % 5 == 0 ? "stopped" : "running", node: i % 3 == 0 ? "proxmox-02" : "proxmox-01", tags: i % 2 == 0 ? ["env-prod"] : [])).ToArray();
        var list = Service(Snapshot("prod", guests));
        var scan = VmListService.Predicate;

        foreach (var (sort, descending) in new[] { (VmColumn.VmId, false), (VmColumn.Name, true), (VmColumn.Cpu, false) })
        {
            foreach (var term in new[] { "web-0", "db", "REDIS-1", "-1", "k8s-worker-10", "b-", "ab-", "d-001", "-000\nab", "nothing", "3" })
            {
                var query = new VmListQuery(Name: term, Sort: sort, Descending: descending, PageSize: 0);
                var expected = list.Estate().Sorted(sort, descending).Where(scan(query.Filter)).Select(r => r.VmId).ToArray();
                Assert.Equal(expected, list.Query(query).Rows.Select(r => r.VmId));
                var stopped = query with { Status = "stopped", Node = "proxmox-02" };   // with other filters, on the found rows
                Assert.Equal(list.Estate().Sorted(sort, descending).Where(scan(stopped.Filter)).Select(r => r.VmId), list.Query(stopped).Rows.Select(r => r.VmId));
            }
        }
        // A name across two names does not match ("ab-005" then "cd-006": not "5cd"), case is ignored both ways.
        Assert.Empty(list.Query(new VmListQuery(Name: "5\ncd")).Rows);
        Assert.Empty(list.Query(new VmListQuery(Name: "005cd")).Rows);
        Assert.Equal([1005], list.Query(new VmListQuery(Name: "AB-005")).Rows.Select(r => r.VmId));

        // A name that is not ASCII: no index, the same answers by scanning.
        var accents = Service(Snapshot("prod", Guest(1, "café-01"), Guest(2, "CAFÉ-02"), Guest(3, "cafe-03")));
        Assert.Equal([1, 2], accents.Query(new VmListQuery(Name: "café")).Rows.Select(r => r.VmId));
        Assert.Equal([1, 2, 3], accents.Query(new VmListQuery(Name: "caf")).Rows.Select(r => r.VmId));
    }

    [Fact]
    public void FromUrl_ReadsTheSharedLink_AndFallsBackOnNonsense()
    {
        var q = VmListQuery.FromUrl("running", ["env-prod", "", "ENV-PROD", "web-tier"], "proxmox-01", " web ", "cpu", "desc", "3", "250");
        Assert.Equal(("running", "proxmox-01", "web", VmColumn.Cpu, true, 3, 250), (q.Status, q.Node, q.Name, q.Sort, q.Descending, q.Page, q.PageSize));
        Assert.Equal(["env-prod", "web-tier"], q.Tags!);

        var bad = VmListQuery.FromUrl(null, null, null, null, "nope", "sideways", "-1", "7");
        Assert.Equal((VmColumn.VmId, false, 1, VmListQuery.DefaultPageSize), (bad.Sort, bad.Descending, bad.Page, bad.PageSize));
    }

    [Fact]
    public void RowCache_KeepsUnchangedRows_AcrossPolls_AndSameAsSeesNoChange()
    {
        var hub = new InventoryHub();
        var list = new VmListService(hub, new VmRowCache());
        hub.Publish(Prod);
        var before = list.Query(new VmListQuery());

        hub.Publish(Prod with { At = T0.AddSeconds(3) });   // a poll that changed nothing
        var same = list.Query(new VmListQuery());
        Assert.True(same.SameAs(before));

        var guests = Prod.Resources.Guests.ToArray();
        guests[0] = guests[0] with { Mem = guests[0].Mem + 1 };
        hub.Publish(Prod with { At = T0.AddSeconds(6), Resources = Prod.Resources with { Guests = guests } });
        var after = list.Query(new VmListQuery());
        Assert.False(after.SameAs(same));
        Assert.False(ReferenceEquals(after.Rows[0], same.Rows[0]));
        Assert.True(after.Rows.Skip(1).Zip(same.Rows.Skip(1)).All(p => ReferenceEquals(p.First, p.Second)));
    }

    [Fact]
    public void Columns_RoundTripThroughThePreferenceText_AndNameStaysVisible()
    {
        var mask = VmListColumns.With(VmListColumns.AllMask, VmColumn.Network, false);
        Assert.Equal(mask, VmListColumns.Parse(VmListColumns.Format(mask)));
        Assert.Equal(VmListColumns.AllMask, VmListColumns.Parse(null));
        Assert.Equal(VmListColumns.AllMask, VmListColumns.Parse("bogus"));
        Assert.True(VmListColumns.Has(VmListColumns.Parse("cpu"), VmColumn.Name));
        // Nothing stored (or the stored default) fits the columns to the screen; a stored choice is shown exactly.
        Assert.True(VmListColumns.FitsToWidth(null));
        Assert.True(VmListColumns.FitsToWidth(VmListColumns.FitToWidth));
        Assert.False(VmListColumns.FitsToWidth(VmListColumns.Format(VmListColumns.AllMask)));
        Assert.Equal(VmListColumns.AllMask, VmListColumns.Parse(VmListColumns.FitToWidth));
    }
}
