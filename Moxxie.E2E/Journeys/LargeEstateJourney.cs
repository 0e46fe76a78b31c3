using System.Text.RegularExpressions;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>VM list at 3,400 guests on one virtually scrolled page: few rows in the DOM, scrolling brings later guests in,
/// the sticky header stays in view.</summary>
[Collection(LargeEstateCollection.Name)]
public sealed class LargeEstateJourney(LargeEstateHost host) : JourneyTest(host)
{
    [Fact]
    public async Task All_3400_guests_on_one_page_keep_at_most_100_rows_in_the_dom_while_scrolling()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            var total = Host.Simulator.Cluster.Guests.Count;
            Assert.True(total >= 3000, $"large preset has {total} guests");

            await vms.GotoAsync(TimeSpan.FromSeconds(30), "?size=0");
            await Expect(vms.Count).ToHaveTextAsync(total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " guests");
            var domRows = await vms.Rows.CountAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"[figure] {total} guests on one page: {domRows} rows in the DOM");
            Assert.InRange(domRows, 1, 100);

            var firstVmid = await vms.Rows.First.GetAttributeAsync("data-vmid");
            var scroller = Page.GetByTestId("vm-table");
            await scroller.EvaluateAsync("e => e.scrollTop = e.scrollHeight / 2");
            await Expect(vms.Rows.First).Not.ToHaveAttributeAsync("data-vmid", firstVmid!);
            Assert.InRange(await vms.Rows.CountAsync(), 1, 100);

            var header = Page.Locator(".mx-vmtable thead th.mx-c-name");
            var headerBox = await header.BoundingBoxAsync();
            var scrollerBox = await scroller.BoundingBoxAsync();
            Assert.NotNull(headerBox);
            Assert.NotNull(scrollerBox);
            Assert.InRange(headerBox.Y - scrollerBox.Y, -1, 2);   // sticky: still at the top of the scrolled table

            await scroller.EvaluateAsync("e => e.scrollTop = e.scrollHeight");
            var lastVmid = Host.Simulator.Cluster.Guests.Max(g => g.Vmid).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Expect(vms.Row(int.Parse(lastVmid, System.Globalization.CultureInfo.InvariantCulture))).ToBeVisibleAsync();
            Assert.Matches(new Regex(@"size=0"), Page.Url);
        });
    }
}
