using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>VM list (issue 4): the guide's columns, filters in a shareable URL (reload and back/forward), the column
/// choice remembered across reloads, CSV export of the filtered view, cards on a phone.</summary>
[Collection(JourneyCollection.Name)]
public sealed class VmListJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    private static readonly string[] GuideColumns = ["Status", "VMID", "Name", "Node", "CPU", "Memory", "Disk", "Network", "Uptime", "Tags"];

    [Fact]
    public async Task Vm_list_shows_the_guides_columns_for_every_guest()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);

            await Expect(vms.HeaderTitles).ToHaveTextAsync(GuideColumns);
            await Expect(Page.GetByRole(AriaRole.Checkbox, new() { Name = "Select all matching virtual machines" })).ToBeVisibleAsync();
            await Expect(vms.Rows).ToHaveCountAsync(Host.Simulator.Cluster.Guests.Count);

            var web = vms.Row(101);
            await Expect(web.GetByRole(AriaRole.Checkbox, new() { Name = "Select web-server-01" })).ToBeVisibleAsync();
            await Expect(web.Locator(".mx-c-status .mx-status--success")).ToBeVisibleAsync();
            await Expect(web.Locator(".mx-c-vmid")).ToHaveTextAsync("101");
            await Expect(web.GetByTestId("vm-name")).ToHaveAttributeAsync("href", "vms/101");
            await Expect(web.Locator(".mx-c-node")).ToHaveTextAsync("proxmox-01");
            await Expect(web.Locator(".mx-c-cpu")).ToHaveTextAsync(new Regex(@"\d+ %"));
            // The sparkline needs two polls of history: it appears live, without a reload.
            await Expect(web.Locator(".mx-c-cpu svg.mx-sparkline polyline")).ToHaveCountAsync(1);
            await Expect(web.Locator(".mx-c-mem [role=progressbar]")).ToBeVisibleAsync();
            await Expect(web.Locator(".mx-c-mem")).ToHaveTextAsync(new Regex(@"\d+\.\d / \d+\.\d GB"));
            await Expect(web.Locator(".mx-c-disk")).ToHaveTextAsync(new Regex(@"GB"));
            await Expect(web.Locator(".mx-c-net")).ToHaveTextAsync(new Regex(@"↓ .+/s\s*↑ .+/s"));
            await Expect(web.Locator(".mx-c-uptime")).ToHaveTextAsync(new Regex(@"^\d+[dhms]"));
            await Expect(web.Locator(".mx-c-tags .mx-tag[data-category=environment]")).ToHaveTextAsync("env-prod");
            await Expect(vms.MoreActions("web-server-01")).ToBeVisibleAsync();

            await vms.MoreActions("web-server-01").ClickAsync();
            await Expect(Page.GetByRole(AriaRole.Menu, new() { Name = "Actions for web-server-01" })).ToBeVisibleAsync();
            await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Start web-server-01" })).ToBeDisabledAsync();
            await Page.Keyboard.PressAsync("Escape");
        });
    }

    [Fact]
    public async Task A_filtered_view_lives_in_the_url_survives_a_shared_link_and_back_undoes_it()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);
            await Expect(vms.RowNamed("database-01")).ToHaveCountAsync(1);

            await vms.NameFilter.FillAsync("web-server");
            await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]q=web-server"));
            await Expect(vms.RowNamed("database-01")).ToHaveCountAsync(0);
            var expected = Host.Simulator.Cluster.Guests.Count(g => g.Name.Contains("web-server", StringComparison.OrdinalIgnoreCase));
            await Expect(vms.Rows).ToHaveCountAsync(expected);

            // Add a tag through a chip: the URL gets it as well.
            await vms.Row(101).Locator(".mx-c-tags").GetByRole(AriaRole.Button, new() { Name = "env-prod" }).ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]tag=env-prod"));
            var shared = Page.Url;

            // The shared link opened elsewhere shows the same view.
            var other = await Context.NewPageAsync();
            var otherCircuit = new BlazorCircuit(other);
            await other.GotoAsync(shared);
            var otherList = new VmListPage(other, otherCircuit);
            await otherList.WaitUntilLoadedAsync(UiTimeout);
            await Expect(otherList.NameFilter).ToHaveValueAsync("web-server");
            var prodWeb = Host.Simulator.Cluster.Guests.Count(g => g.Name.Contains("web-server", StringComparison.OrdinalIgnoreCase)
                && g.Tags.Split(';', ',').Contains("env-prod"));
            await Expect(otherList.Rows).ToHaveCountAsync(prodWeb);
            await Expect(other.Locator(".mx-filter--tags")).ToContainTextAsync("env-prod");
            await other.CloseAsync();

            // Back: the tag goes, then the name filter.
            await Page.GoBackAsync();
            await Expect(Page).Not.ToHaveURLAsync(new Regex("tag="));
            await Expect(vms.Rows).ToHaveCountAsync(expected);
            await Page.GoBackAsync();
            await Expect(Page).Not.ToHaveURLAsync(new Regex("q="));
            await Expect(vms.RowNamed("database-01")).ToHaveCountAsync(1);
        });
    }

    [Fact]
    public async Task A_hidden_column_stays_hidden_after_a_reload()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);
            await Expect(vms.HeaderTitles).ToHaveTextAsync(GuideColumns);

            try
            {
                await vms.ColumnsButton.ClickAsync();
                await vms.ColumnCheckbox("net").UncheckAsync();
                await Expect(vms.HeaderTitles.Filter(new() { HasText = "Network" })).ToHaveCountAsync(0);
                await Expect(vms.Row(101).Locator(".mx-c-net")).ToHaveCountAsync(0);

                await Page.ReloadAsync();
                await vms.WaitUntilLoadedAsync(UiTimeout);
                await Expect(vms.HeaderTitles).ToHaveTextAsync(GuideColumns.Where(c => c != "Network").ToArray());
                await Expect(vms.Row(101).Locator(".mx-c-net")).ToHaveCountAsync(0);
            }
            finally
            {
                // Leave the admin's columns as the other journeys expect them.
                if (await vms.ColumnCheckbox("net").CountAsync() == 0) await vms.ColumnsButton.ClickAsync();
                await vms.ColumnCheckbox("net").CheckAsync();
            }
            await Expect(vms.HeaderTitles).ToHaveTextAsync(GuideColumns);
        });
    }

    [Fact]
    public async Task Csv_export_downloads_exactly_the_rows_of_the_filtered_view()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout, "?tag=env-prod&sort=name&dir=desc");
            var shown = new List<string>();
            foreach (var row in await vms.Rows.AllAsync())
                shown.Add((await row.GetAttributeAsync("data-vmid"))!);
            Assert.NotEmpty(shown);

            var download = await Page.RunAndWaitForDownloadAsync(() => vms.ExportLink.ClickAsync());
            Assert.EndsWith(".csv", download.SuggestedFilename);
            var path = await download.PathAsync();
            var lines = (await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken)).Where(l => l.Length > 0).ToList();
            Assert.StartsWith("vmid,name,node,type,status", lines[0]);
            Assert.Equal(shown, lines.Skip(1).Select(l => l.Split(',')[0]));
            Assert.All(lines.Skip(1), l => Assert.Contains("env-prod", l));
        });
    }

    [Fact]
    public async Task On_a_phone_each_vm_is_a_card()
    {
        await RunAsync(async () =>
        {
            await Page.SetViewportSizeAsync(390, 844);
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);

            var row = vms.Row(101);
            await Expect(row).ToHaveCSSAsync("display", "grid");   // once the page's stylesheet is in
            await Expect(Page.Locator(".mx-vmtable thead")).ToBeHiddenAsync();
            var box = await row.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Width <= 390, $"the card fits the screen (width {box.Width})");
            Assert.True(box.Height > 150, $"a card, not a table row (height {box.Height})");
            Assert.Equal("Memory", await row.Locator(".mx-c-mem").EvaluateAsync<string>("e => getComputedStyle(e, '::before').content.replaceAll('\"', '')"));
        });
    }
}
