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

    [Fact]
    public async Task A_page_of_50_renders_the_rows_in_view_scrolling_brings_the_last_and_a_filter_swaps_them()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            await Page.SetViewportSizeAsync(1440, 900);
            var vms = new VmListPage(Page, Circuit);
            var page = Host.Simulator.Cluster.Guests.Select(g => g.Vmid).Order().Take(50).ToArray();

            // The prerendered page holds all 50 rows; once the browser has said what is in view, only those and a margin.
            var html = await (await Page.APIRequest.GetAsync("/vms")).TextAsync();
            Assert.Equal(50, Regex.Count(html, "<tr[^>]*data-vmid="));
            await vms.GotoAsync(TimeSpan.FromSeconds(30), "?size=50");
            await Expect(Page.Locator("tr.mx-vmtable__spacer")).ToHaveCountAsync(1);
            var domRows = await vms.Rows.CountAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"[figure] a page of 50 at 1440 × 900: {domRows} rows in the DOM");
            Assert.InRange(domRows, 10, 40);
            await Expect(vms.Row(page[0])).ToBeVisibleAsync();

            // Scrolled to the bottom of the table: the page's last VM is there, its first is not in the DOM any more.
            var scroller = Page.GetByTestId("vm-table");
            await scroller.EvaluateAsync("e => e.scrollTop = e.scrollHeight");
            await Expect(vms.Row(page[^1])).ToBeVisibleAsync();
            await Expect(vms.Row(page[0])).ToHaveCountAsync(0);

            // Back at the top, a name filter: every row shown matches (rows in view only, in place).
            await scroller.EvaluateAsync("e => e.scrollTop = 0");
            await Expect(vms.Row(page[0])).ToBeVisibleAsync();
            await vms.NameFilter.FillAsync("web-0");
            await vms.NameFilter.PressAsync("Enter");
            await Expect(vms.Rows.First).ToContainTextAsync("web-0");
            foreach (var row in await vms.Rows.AllAsync()) await Expect(row).ToContainTextAsync("web-0");
            Assert.InRange(await vms.Rows.CountAsync(), 1, 40);
        });
    }
}
