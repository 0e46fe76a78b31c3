using Moxxie.Core.Security;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Storage (issue 4): grid → detail (usage trend from rrddata) → content tabs with the simulator's ISOs and backups; an ISO streamed to PVE
/// with its progress bar reaching 100 % and then listed; enable/disable confirmed and audited; a Viewer gets no actions.</summary>
[Collection(JourneyCollection.Name)]
public sealed class StorageJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Storage_grid_leads_to_the_detail_whose_tabs_list_isos_and_backups()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoStorageListAsync(UiTimeout);
            foreach (var storage in new[] { "local", "local-zfs", "backup-nas" })
                await Expect(infra.StorageCard(storage)).ToBeVisibleAsync();

            await infra.StorageCardLink("backup-nas").ClickAsync();
            await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/storage/backup-nas$"));
            await infra.WaitForContentAsync(UiTimeout);
            await Expect(Page.GetByTestId("storage-config")).ToContainTextAsync("192.168.1.50");
            var trend = Page.GetByTestId("chart-storage-usage");
            await Expect(trend.Locator("svg path").First).ToBeAttachedAsync();
            Assert.True(int.Parse(await trend.GetAttributeAsync("data-points") ?? "0") > 10, "the usage trend has a day of samples");

            await infra.ContentTab("ISO images").ClickAsync();
            await Expect(infra.ContentRow("backup-nas:iso/debian-12.8.0-amd64-netinst.iso")).ToBeVisibleAsync();
            await infra.ContentTab("Backups").ClickAsync();
            var backup = infra.ContentRows.Filter(new() { HasText = "vzdump-qemu-101-" }).First;
            await Expect(backup).ToBeVisibleAsync();
            await Expect(backup).ToContainTextAsync("web-server-01");   // notes
            await Expect(backup).ToContainTextAsync("vma.zst");
            await Expect(Page.GetByTestId("content-protected").First).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Uploading_an_iso_shows_progress_to_100_percent_and_lists_it()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoStorageAsync("local", UiTimeout);
            await Expect(Page.GetByTestId("content-node-select")).ToContainTextAsync("proxmox-01");

            var name = $"e2e-{Guid.NewGuid():N}"[..16] + ".iso";
            var bytes = new byte[1024 * 1024 + 123];
            new Random(7).NextBytes(bytes);
            await infra.UploadFile.SetInputFilesAsync(new Microsoft.Playwright.FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = bytes });
            await Expect(infra.UploadButton).ToBeEnabledAsync();
            await infra.UploadButton.ClickAsync();

            await Expect(infra.UploadProgress).ToBeVisibleAsync();
            await Expect(infra.UploadPercent).ToHaveTextAsync("100 %");
            await Expect(infra.UploadProgress).ToHaveAttributeAsync("data-percent", "100");
            await infra.ContentTab("ISO images").ClickAsync();
            await Expect(infra.ContentRow($"local:iso/{name}")).ToBeVisibleAsync();

            var audit = await Host.AuditEntriesAsync(q => q.Where(e => e.Operation == "STORAGE_UPLOAD" && e.ResourceId == "local"),
                TestContext.Current.CancellationToken);
            Assert.Contains(audit, e => e.Success && e.DetailsJson!.Contains(name, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task Disabling_and_enabling_a_storage_is_confirmed_and_audited()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoStorageAsync("local-zfs", UiTimeout);
            await Expect(infra.StorageState).ToHaveTextAsync("enabled");

            await infra.ToggleButton.ClickAsync();
            await Expect(infra.Dialog).ToBeVisibleAsync();
            await infra.ConfirmButton.ClickAsync();
            await Expect(infra.StorageState).ToHaveTextAsync("disabled");

            await infra.ToggleButton.ClickAsync();
            await infra.ConfirmButton.ClickAsync();
            await Expect(infra.StorageState).ToHaveTextAsync("enabled");

            var ops = (await Host.AuditEntriesAsync(q => q.Where(e => e.ResourceId == "local-zfs" && e.Operation.StartsWith("STORAGE_")),
                TestContext.Current.CancellationToken)).Select(e => e.Operation).ToList();
            Assert.Equal(["STORAGE_DISABLE", "STORAGE_ENABLE"], ops);
        });
    }

    [Fact]
    public async Task A_viewer_browses_storage_content_without_upload_or_enable_actions()
    {
        await RunAsync(async () =>
        {
            const string password = "Storage-Viewer-Pa55!";
            var userName = "sviewer-" + Guid.NewGuid().ToString("N")[..8];
            await TestUsers.CreateAsync(Host.App.Services, userName, password, MoxxieRoles.Viewer);
            await new LoginPage(Page).SignInAsync(userName, password);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoStorageAsync("local", UiTimeout);

            await infra.ContentTab("ISO images").ClickAsync();
            await Expect(infra.ContentRow("local:iso/debian-12.8.0-amd64-netinst.iso")).ToBeVisibleAsync();
            await Expect(infra.UploadPanel).ToHaveCountAsync(0);
            await Expect(infra.ToggleButton).ToHaveCountAsync(0);
        });
    }
}
