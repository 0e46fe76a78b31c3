using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Moxxie.Core.Security;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Issue 6's tag management screens in Chromium against the simulator: a tag created with its own colour, added in
/// bulk to the VMs a tag expression chooses (preview, per-VM results), visible in PVE's config (read through the PVE API)
/// and as a chip in that colour in the VM list; a rename and a typed-confirmation delete across the VMs; Viewers see no
/// actions.</summary>
[Collection(JourneyCollection.Name)]
public sealed class TagManagementJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] TagsOf(string tags) => tags.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The tags PVE holds for a guest (GET /nodes/{node}/{qemu|lxc}/{vmid}/config).</summary>
    private async Task<string[]> PveTagsAsync(int vmid)
    {
        var guest = Host.Simulator.Cluster.FindGuest(vmid)!;
        using var pve = Host.CreateSimulatorClient();
        var config = await pve.GetFromJsonAsync<JsonElement>($"nodes/{guest.Node}/{guest.Type}/{vmid}/config", Ct);
        return config.GetProperty("data").TryGetProperty("tags", out var t) ? TagsOf(t.GetString() ?? "") : [];
    }

    /// <summary>Sets a guest's tags straight in PVE (as another tool would), for a journey's own starting state.</summary>
    private async Task SetPveTagsAsync(int vmid, IEnumerable<string> tags)
    {
        var guest = Host.Simulator.Cluster.FindGuest(vmid)!;
        using var pve = Host.CreateSimulatorClient();
        using var response = await pve.PutAsync($"nodes/{guest.Node}/{guest.Type}/{vmid}/config",
            new FormUrlEncodedContent([new("tags", string.Join(';', tags))]), Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT config {vmid}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public async Task Bulk_add_by_expression_reaches_pve_and_the_vm_list_shows_the_chip_in_the_catalogue_colour()
    {
        await RunAsync(async () =>
        {
            const string Tag = "e2e-bulk";
            const string Expression = "env-prod AND NOT always-on";
            var expected = Host.Simulator.Cluster.Guests
                .Where(g => !g.Template && TagsOf(g.Tags).Contains("env-prod") && !TagsOf(g.Tags).Contains("always-on")).Select(g => g.Vmid).Order().ToList();
            Assert.NotEmpty(expected);
            var original = expected.ToDictionary(v => v, v => TagsOf(Host.Simulator.Cluster.FindGuest(v)!.Tags));
            try
            {
                await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
                var tags = new TagsPageObject(Page, Circuit);
                await tags.GotoAsync(UiTimeout);

                // Create the tag with its own colour (the catalogue; no VM has it yet: count 0).
                await tags.CreateButton.ClickAsync();
                await Page.GetByTestId("tag-edit-name").FillAsync(Tag);
                await Page.GetByTestId("tag-edit-color").FillAsync("#00aa88");
                await Page.GetByTestId("tag-edit-description").FillAsync("Added by the E2E bulk journey");
                await Page.GetByTestId("tag-edit-submit").ClickAsync();
                await Expect(tags.EditDialog).ToHaveCountAsync(0);
                await tags.ShowListAsync();
                await Expect(tags.Row(Tag).GetByTestId("tag-row-count")).ToHaveTextAsync("0");

                // Bulk add to the VMs the expression chooses: the preview lists them, the results show each VM's tags.
                await tags.BulkButton.ClickAsync();
                await Page.GetByTestId("tag-bulk-tags").FillAsync(Tag);
                await Page.GetByTestId("tag-bulk-selection").FillAsync(Expression);
                await Page.GetByTestId("tag-bulk-preview").ClickAsync();
                await Expect(Page.GetByTestId("tag-bulk-preview-count")).ToContainTextAsync($"Matches {expected.Count} VMs");
                await Expect(Page.GetByTestId("tag-bulk-preview-vm")).ToHaveCountAsync(expected.Count);
                await Page.GetByTestId("tag-bulk-apply").ClickAsync();
                await Expect(tags.ResultRows).ToHaveCountAsync(expected.Count, new() { Timeout = 30_000 });
                await Expect(tags.ResultSummary).ToContainTextAsync($"{expected.Count} changed");
                foreach (var row in await tags.ResultRows.AllAsync())
                {
                    await Expect(row).ToHaveAttributeAsync("data-success", "true");
                    await Expect(row.GetByTestId("tag-result-current").Locator($".mx-tag[data-tag='{Tag}']")).ToHaveCountAsync(1);
                }
                await tags.CloseDialog.ClickAsync();

                // PVE holds it (read through the PVE API, not Moxxie), and only on those guests.
                foreach (var vmid in expected) Assert.Contains(Tag, await PveTagsAsync(vmid));
                Assert.DoesNotContain(Tag, await PveTagsAsync(Host.Simulator.Cluster.Guests.First(g => TagsOf(g.Tags).Contains("always-on")).Vmid));
                await Expect(tags.Row(Tag).GetByTestId("tag-row-count")).ToHaveTextAsync(expected.Count.ToString(CultureInfo.InvariantCulture), new() { Timeout = 10_000 });

                // The VM list shows the chip in the catalogue's colour (not the prefix suggestion's grey).
                await Page.GotoAsync("vms?expr=" + Uri.EscapeDataString(Tag));
                var vms = new VmListPage(Page, Circuit);
                await vms.WaitUntilLoadedAsync(UiTimeout);
                await Expect(vms.Rows).ToHaveCountAsync(expected.Count);
                var chip = vms.Rows.First.Locator($".mx-tag[data-tag='{Tag}']");
                await Expect(chip).ToHaveAttributeAsync("style", "--mx-tag-color: #00aa88");
                await Expect(chip).ToHaveCSSAsync("color", "rgb(0, 170, 136)");

                var audit = await Host.AuditEntriesAsync(q => q.Where(a => a.Operation == "TAG_ADD" && a.Success), Ct);
                foreach (var vmid in expected) Assert.Contains(audit, a => a.ResourceId == vmid.ToString(CultureInfo.InvariantCulture));
            }
            finally
            {
                foreach (var (vmid, before) in original) await SetPveTagsAsync(vmid, before);   // other journeys count the demo's tags
            }
        });
    }

    [Fact]
    public async Task Rename_shows_the_vms_affected_and_delete_needs_the_typed_name()
    {
        await RunAsync(async () =>
        {
            int[] vmids = [Host.Simulator.Cluster.Guests.First(g => g.Type == "qemu" && !g.Template).Vmid,
                           Host.Simulator.Cluster.Guests.First(g => g.Type == "lxc" && !g.Template).Vmid];
            foreach (var vmid in vmids) await SetPveTagsAsync(vmid, [.. TagsOf(Host.Simulator.Cluster.FindGuest(vmid)!.Tags), "e2e-old-name"]);

            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var tags = new TagsPageObject(Page, Circuit);
            await tags.GotoAsync(UiTimeout);
            await tags.ShowListAsync();
            await Expect(tags.Row("e2e-old-name").GetByTestId("tag-row-count")).ToHaveTextAsync("2", new() { Timeout = 10_000 });

            // Rename: the dialog says how many VMs change, the results show old and new tags per VM.
            await tags.Row("e2e-old-name").GetByTestId("tag-rename").ClickAsync();
            await Expect(Page.GetByTestId("tag-rename-affected")).ToContainTextAsync("2 VMs");
            await Page.GetByTestId("tag-rename-name").FillAsync("e2e-new-name");
            await Page.GetByTestId("tag-rename-submit").ClickAsync();
            await Expect(tags.ResultRows).ToHaveCountAsync(2, new() { Timeout = 30_000 });
            await Expect(tags.ResultSummary).ToContainTextAsync("2 changed");
            await tags.CloseDialog.ClickAsync();
            foreach (var vmid in vmids)
            {
                var pveTags = await PveTagsAsync(vmid);
                Assert.Contains("e2e-new-name", pveTags);
                Assert.DoesNotContain("e2e-old-name", pveTags);
            }
            await Expect(tags.Row("e2e-new-name").GetByTestId("tag-row-count")).ToHaveTextAsync("2", new() { Timeout = 10_000 });
            await Expect(tags.Row("e2e-old-name")).ToHaveCountAsync(0);

            // The tag's page lists both VMs; its VM list link filters by it.
            await Page.GotoAsync("tags/e2e-new-name");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(Page.GetByTestId("tag-details-vm")).ToHaveCountAsync(2, new() { Timeout = 10_000 });
            foreach (var vmid in vmids)
                await Expect(Page.Locator($"[data-testid='tag-details-vm'][data-vmid='{vmid}'] .mx-tag[data-tag='e2e-new-name']")).ToHaveCountAsync(1);

            await Expect(Page.GetByTestId("tag-details-bulk-wizard")).ToHaveAttributeAsync("href", "bulk/new?expr=e2e-new-name");

            // Delete: disabled until the name is typed; then gone from both VMs in PVE.
            await Page.GetByTestId("tag-details-delete").ClickAsync();
            await Expect(Page.GetByTestId("tag-delete-affected")).ToContainTextAsync("2 VMs");
            var submit = Page.GetByTestId("tag-delete-submit");
            await Expect(submit).ToBeDisabledAsync();
            await Page.GetByTestId("tag-delete-confirm").FillAsync("e2e-new");
            await Expect(submit).ToBeDisabledAsync();
            await Page.GetByTestId("tag-delete-confirm").FillAsync("e2e-new-name");
            await Expect(submit).ToBeEnabledAsync();
            await submit.ClickAsync();
            await Expect(tags.ResultSummary).ToContainTextAsync("2 changed", new() { Timeout = 30_000 });
            await tags.CloseDialog.ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex("/tags$"));
            foreach (var vmid in vmids) Assert.DoesNotContain("e2e-new-name", await PveTagsAsync(vmid));
            var audit = await Host.AuditEntriesAsync(q => q.Where(a => a.Operation == "TAG_DELETE" && a.Success), Ct);
            foreach (var vmid in vmids) Assert.Contains(audit, a => a.ResourceId == vmid.ToString(CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public async Task Viewer_sees_tags_and_details_without_any_action()
    {
        await RunAsync(async () =>
        {
            const string Password = "Tag-Viewer-Pa55word!";
            var userName = "tagviewer" + Guid.NewGuid().ToString("N")[..8];
            await TestUsers.CreateAsync(Host.App.Services, userName, Password, MoxxieRoles.Viewer);
            await new LoginPage(Page).SignInAsync(userName, Password);
            var tags = new TagsPageObject(Page, Circuit);
            await tags.GotoAsync(UiTimeout);
            await Expect(tags.CloudChip("env-prod")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await tags.ShowListAsync();
            await Expect(tags.Row("env-prod")).ToBeVisibleAsync();
            await Expect(tags.CreateButton).ToHaveCountAsync(0);

            // The view and the search live in the URL: a reload shows the same list.
            await tags.Search.FillAsync("env-prod");
            await tags.Search.PressAsync("Tab");
            await Expect(Page).ToHaveURLAsync(new Regex(@"[?&]view=list.*[?&]q=env-prod|[?&]q=env-prod.*[?&]view=list"));
            await Page.ReloadAsync();
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(tags.Rows).ToHaveCountAsync(1);
            await Expect(tags.Row("env-prod")).ToBeVisibleAsync();
            await Expect(tags.BulkButton).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("tag-edit")).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("tag-rename")).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("tag-delete")).ToHaveCountAsync(0);

            await tags.Row("env-prod").Locator(".mx-tag").ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex("/tags/env-prod$"));
            await Expect(Page.GetByTestId("tag-details-vm").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await Expect(Page.GetByTestId("tag-details-vmlist")).ToBeVisibleAsync();
            foreach (var action in new[] { "tag-details-bulk", "tag-details-bulk-wizard", "tag-details-edit", "tag-details-rename", "tag-details-delete" })
                await Expect(Page.GetByTestId(action)).ToHaveCountAsync(0);
        });
    }
}
