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
            await Expect(web.Locator(".mx-c-mem").GetByRole(AriaRole.Progressbar, new() { Name = "Memory" })).ToBeVisibleAsync();
            await Expect(web.Locator(".mx-c-mem")).ToHaveTextAsync(new Regex(@"\d+\.\d / \d+\.\d GB"));
            await Expect(web.Locator(".mx-c-disk")).ToHaveTextAsync(new Regex(@"GB"));
            await Expect(web.Locator(".mx-c-net")).ToHaveTextAsync(new Regex(@"↓ .+/s\s*↑ .+/s"));
            await Expect(web.Locator(".mx-c-uptime")).ToHaveTextAsync(new Regex(@"^\d+[dhms]"));
            // Coloured by category: env-* is an environment tag (red).
            await Expect(web.Locator(".mx-c-tags .mx-tag[data-tag=env-prod]")).ToHaveTextAsync("env-prod");
            await Expect(web.Locator(".mx-c-tags .mx-tag[data-tag=env-prod]")).ToHaveAttributeAsync("style", "--mx-tag-color: #d32f2f");
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
            // Applied in place, not by a router navigation (which re-rendered the page and moved focus to the heading).
            await Expect(vms.NameFilter).ToBeFocusedAsync();
            var expected = Host.Simulator.Cluster.Guests.Count(g => g.Name.Contains("web-server", StringComparison.OrdinalIgnoreCase));
            await Expect(vms.Rows).ToHaveCountAsync(expected);

            // Add a tag through a chip (the first one: at this width the row shows one chip and "+2"): the URL gets it.
            var chip = vms.Row(101).Locator(".mx-c-tags").GetByRole(AriaRole.Button).First;
            var tag = (await chip.TextContentAsync())!.Trim();
            await chip.ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]tag=" + Regex.Escape(tag)));
            var shared = Page.Url;

            // The shared link opened elsewhere shows the same view.
            var other = await Context.NewPageAsync();
            var otherCircuit = new BlazorCircuit(other);
            await other.GotoAsync(shared);
            var otherList = new VmListPage(other, otherCircuit);
            await otherList.WaitUntilLoadedAsync(UiTimeout);
            await Expect(otherList.NameFilter).ToHaveValueAsync("web-server");
            var prodWeb = Host.Simulator.Cluster.Guests.Count(g => g.Name.Contains("web-server", StringComparison.OrdinalIgnoreCase)
                && g.Tags.Split(';', ',').Contains(tag));
            await Expect(otherList.Rows).ToHaveCountAsync(prodWeb);
            await Expect(other.Locator(".mx-filter--tags")).ToContainTextAsync(tag);
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
                // Leave the admin's columns as the other journeys expect them: the default, fitted to the screen.
                if (await vms.ColumnCheckbox("net").CountAsync() == 0) await vms.ColumnsButton.ClickAsync();
                await Page.GetByTestId("columns-fit").ClickAsync();
            }
            await Expect(vms.HeaderTitles).ToHaveTextAsync(GuideColumns);
            await Expect(Page.GetByTestId("columns-fit")).ToHaveTextAsync(new Regex("^Fitted to the screen"));
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

    [Theory]
    [InlineData(1440, 900)]
    [InlineData(1280, 800)]
    [InlineData(1920, 1080)]
    public async Task At_laptop_widths_the_tags_are_readable_and_the_actions_column_covers_nothing(int width, int height)
    {
        await RunAsync(async () =>
        {
            await Page.SetViewportSizeAsync(width, height);
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);
            await Expect(vms.Row(106).Locator(".mx-c-actions")).ToBeVisibleAsync();
            await Expect(Page.Locator(".mx-vmtable")).ToHaveCSSAsync("border-collapse", "separate");   // the page's stylesheet is in
            await SaveLayoutScreenshotAsync($"vmlist-{width}x{height}");

            // The table fits its box: nothing is hidden under the sticky Actions column until one scrolls sideways.
            var overflow = await Page.GetByTestId("vm-table").EvaluateAsync<int>("e => e.scrollWidth - e.clientWidth");
            Assert.True(overflow <= 0, $"the VM table is {overflow} px wider than its box at {width} px");

            // The default columns drop only what does not fit: a wide screen shows every one of the guide's columns.
            if (width >= 1920)
                foreach (var header in await vms.HeaderTitles.AllAsync()) await Expect(header).ToBeVisibleAsync();
            else
                await Expect(Page.Locator(".mx-vmtable thead th.mx-c-uptime")).ToBeHiddenAsync();

            // 106 db-replica-01 has the most tags (4): its chips are readable and clear of the actions cell.
            foreach (var vmid in new[] { 101, 106, 104 })
            {
                var row = vms.Row(vmid);
                var tags = await Box(row.Locator(".mx-c-tags"));
                var actions = await Box(row.Locator(".mx-c-actions"));
                Assert.True(tags.X + tags.Width <= actions.X + 0.5,
                    $"VM {vmid}: the tags cell ({tags.X:0}–{tags.X + tags.Width:0}) runs under the actions cell (from {actions.X:0}) at {width} px");
                var chips = row.Locator(".mx-c-tags .mx-tag:visible");
                Assert.True(await chips.CountAsync() > 0);
                foreach (var chip in await chips.AllAsync())
                {
                    var c = await Box(chip);
                    Assert.True(c.X >= tags.X - 0.5 && c.X + c.Width <= tags.X + tags.Width + 0.5,
                        $"VM {vmid}: chip '{await chip.TextContentAsync()}' ({c.X:0}–{c.X + c.Width:0}) sticks out of its cell ({tags.X:0}–{tags.X + tags.Width:0})");
                    Assert.True(await chip.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"),
                        $"VM {vmid}: chip '{await chip.TextContentAsync()}' is clipped");
                }
            }

            // Every tag of a guest stays reachable: shown as a chip or named in the "+N" chip's tooltip.
            var guest = Host.Simulator.Cluster.Guests.Single(g => g.Vmid == 106);
            var shown = await vms.Row(106).Locator(".mx-c-tags .mx-tag:not(.mx-tag--more)").AllTextContentsAsync();
            var more = vms.Row(106).Locator(".mx-c-tags .mx-tag--more:visible");
            var hidden = await more.CountAsync() == 0 ? "" : await more.GetAttributeAsync("title") ?? "";
            foreach (var tag in guest.Tags.Split(';', ',', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(shown.Contains(tag) || hidden.Contains(tag, StringComparison.Ordinal), $"tag {tag} of VM 106 is neither shown nor in the +N tooltip");
        });
    }

    private static async Task<LocatorBoundingBoxResult> Box(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} has no box");

    /// <summary>A screenshot of the page for the record (bin/.../screenshots), whether the journey passes or not.</summary>
    private async Task SaveLayoutScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });
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
            await SaveLayoutScreenshotAsync("vmlist-390x844");
            var box = await row.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Width <= 390, $"the card fits the screen (width {box.Width})");
            Assert.True(box.Height > 150, $"a card, not a table row (height {box.Height})");
            Assert.Equal("Memory", await row.Locator(".mx-c-mem").EvaluateAsync<string>("e => getComputedStyle(e, '::before').content.replaceAll('\"', '')"));
        });
    }
}
