using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Moxxie.Core.Security;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Restore a backup to a new VMID from the UI: VM detail → Backups tab → Restore → wizard (next free VMID, new name,
/// NIC on another bridge, new MACs, start after) → live progress → the new VM opens, runs, and is in the VM list; audited.</summary>
[Collection(JourneyCollection.Name)]
public sealed class RestoreJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Operator_restores_a_backup_to_the_next_free_vmid_and_the_new_vm_appears_running_in_the_list()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var detail = new VmDetailPageObject(Page, Circuit);
            await detail.GotoAsync(103, UiTimeout);
            await detail.Tab("Backups").ClickAsync();
            var restoreLink = Page.GetByTestId("backup-restore").First;
            await Expect(restoreLink).ToBeVisibleAsync();
            var volid = await Page.Locator("[data-testid=backup-row]").First.GetAttributeAsync("data-volid");
            await restoreLink.ClickAsync();

            var wizard = new RestoreWizardPageObject(Page);
            await Expect(wizard.Step).ToHaveAttributeAsync("data-step", "Backup", new() { Timeout = (float)UiTimeout.TotalMilliseconds });
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(Page.GetByTestId("restore-summary")).ToContainTextAsync(volid!);
            await Expect(Page.Locator("[data-testid=restore-nic][data-key=net0]")).ToContainTextAsync("vmbr0");

            await wizard.NextAsync("Target");
            await wizard.NextFreeVmId.CheckAsync();
            await wizard.Name.FillAsync("restored-web-02");
            await wizard.NextAsync("Mapping");
            await wizard.Bridge("net0").SelectOptionAsync("vmbr1");
            await wizard.NextAsync("Options");
            await Expect(wizard.Start).ToBeCheckedAsync();
            await Expect(wizard.UniqueMacs).ToBeCheckedAsync();
            // keyboard: Next is a real button, Enter on it moves on
            await wizard.Next.FocusAsync();
            await Page.Keyboard.PressAsync("Enter");
            await Expect(wizard.Step).ToHaveAttributeAsync("data-step", "Confirm");
            await Expect(wizard.ConfirmVmId).ToContainTextAsync("next free");
            await wizard.Submit.ClickAsync();

            await Expect(wizard.Step).ToHaveAttributeAsync("data-step", "Progress");
            await Expect(wizard.Progress).ToHaveAttributeAsync("data-state", "ok", new() { Timeout = (float)RestoreTimeout.TotalMilliseconds });
            var vmid = int.Parse((await wizard.RestoredVmId.TextContentAsync())!.Trim(), CultureInfo.InvariantCulture);
            var restored = Host.Simulator.Cluster.FindGuest(vmid);
            Assert.NotNull(restored);
            Assert.Equal("restored-web-02", restored.Name);

            await wizard.VmLink.ClickAsync();
            await Expect(detail.Name).ToHaveTextAsync("restored-web-02");
            await Expect(detail.Status).ToHaveTextAsync("running",
                new() { Timeout = (float)UiTimeout.TotalMilliseconds });

            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout, "?q=restored-web");
            await Expect(vms.Row(vmid)).ToBeVisibleAsync();
            await Expect(vms.Status(vmid)).ToHaveTextAsync("running");
            Assert.Equal("running", Host.Simulator.Cluster.FindGuest(vmid)?.Status);

            var audit = await Eventually.GetAsync(
                async () => (await Host.AuditEntriesAsync(q => q.Where(e => e.Operation == "BACKUP_RESTORE" && e.ResourceId == vmid.ToString(CultureInfo.InvariantCulture)), ct))
                    .SingleOrDefault(),
                UiTimeout, $"an audit row BACKUP_RESTORE for VM {vmid}");
            Assert.True(audit.Success, audit.Error);
            Assert.Matches(new Regex($"^UPID:proxmox-01:.+:qmrestore:{vmid}:"), audit.Upid);
        });
    }
    [Fact]
    public async Task On_a_phone_the_wizard_fits_the_screen_and_a_viewer_gets_no_restore()
    {
        await RunAsync(async () =>
        {
            await Page.SetViewportSizeAsync(390, 844);
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var detail = new VmDetailPageObject(Page, Circuit);
            await detail.GotoAsync(104, UiTimeout);
            await detail.Tab("Backups").ClickAsync();
            await Page.GetByTestId("backup-restore").First.ClickAsync();
            var wizard = new RestoreWizardPageObject(Page);
            await Expect(wizard.Step).ToHaveAttributeAsync("data-step", "Backup");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            foreach (var step in new[] { "Target", "Mapping", "Options", "Confirm" })
            {
                await wizard.NextAsync(step);
                var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
                var (scroll, client) = (widths[0], widths[1]);
                Assert.True(scroll <= client, $"step {step}: page is {scroll}px wide on a {client}px screen");
            }
            await Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "restore-phone-confirm.png"), FullPage = true });

            // a Viewer sees the backups but no restore link, and the wizard's address answers Access denied
            await Context.ClearCookiesAsync();
            var viewer = "viewer-" + Guid.NewGuid().ToString("N")[..8];
            await TestUsers.CreateAsync(Host.App.Services, viewer, "Viewer-Pa55word!", MoxxieRoles.Viewer);
            await new LoginPage(Page).SignInAsync(viewer, "Viewer-Pa55word!");
            await detail.GotoAsync(104, UiTimeout);
            await detail.Tab("Backups").ClickAsync();
            await Expect(Page.Locator("[data-testid=backup-row]").First).ToBeVisibleAsync();
            await Expect(Page.GetByTestId("backup-restore")).ToHaveCountAsync(0);
            await Page.GotoAsync(Page.Url.Split("/vms/")[0] + "/backups/restore?volid=x");
            await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
            await Expect(Page.GetByTestId("restore-wizard")).ToHaveCountAsync(0);
        });
    }
}
