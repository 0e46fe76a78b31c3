using Moxxie.Core.Inventory;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Unit.Vms;

/// <summary>The VM list's ?expr= (VmListQuery.Expression) and VmFilter.TagExpression, combined with the other filters.</summary>
public sealed class VmListTagExpressionTests
{
    private static readonly InventorySnapshot Prod = Snapshot("prod",
        Guest(101, "web-server-01", tags: ["env-prod", "client-acme", "web-tier"]),
        Guest(102, "database-01", status: "stopped", tags: ["env-prod", "always-on"]),
        Guest(103, "staging-01", tags: ["env-staging", "client-globex"]),
        Guest(110, "dev-01", status: "paused", tags: ["env-dev", "client-acme"]),
        Guest(9000, "tpl", status: "stopped", template: true));

    private static VmListService Service()
    {
        var hub = new InventoryHub();
        hub.Publish(Prod);
        return new VmListService(hub, new VmRowCache());
    }

    [Fact]
    public void Query_WithAnExpression_ShowsTheMatchingRowsAndCountsAsAFilter()
    {
        var list = Service();

        var result = list.Query(new VmListQuery(Expression: "(env-prod OR env-staging) AND client-*"));
        Assert.Equal([101, 103], result.Rows.Select(r => r.VmId));
        Assert.Equal((2, 5), (result.Matching, result.Total));
        Assert.True(new VmListQuery(Expression: "env-prod").HasFilters);
        Assert.False(new VmListQuery(Expression: "  ").HasFilters);

        Assert.Equal([101], list.Query(new VmListQuery(Name: "web", Expression: "env-prod AND NOT always-on")).Rows.Select(r => r.VmId));
        Assert.Equal([9000], list.Query(new VmListQuery(Expression: "NOT *")).Rows.Select(r => r.VmId));
        Assert.Equal([103], list.Matching(new VmFilter(Status: "running", TagExpression: "NOT env-prod")).Select(r => r.VmId));
    }

    [Fact]
    public void Query_WithABadExpression_IsAValidationErrorForTagExpression()
    {
        var ex = Assert.Throws<ValidationException>(() => Service().Query(new VmListQuery(Expression: "env-prod AND ()")));

        Assert.Equal("unexpected ')' at 14, expected a tag, NOT or '('", ex.Errors["tagExpression"]);
    }
}
