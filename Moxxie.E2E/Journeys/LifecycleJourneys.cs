using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>VM lifecycle (issue 5): a VM created from a template in the New VM form, watched live until ACTIVE; removing a
/// protected VM shows PVE's own refusal and the VM stays.</summary>
[Collection(JourneyCollection.Name)]
public sealed class LifecycleJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    private static readonly TimeSpan Provisioning = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task New_vm_from_a_template_is_watched_live_until_active()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            await Page.GotoAsync("/vms");
            await Page.GetByTestId("new-vm").ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex("/vms/new$"));
            await Expect(Page.GetByTestId("new-vm-form")).ToBeVisibleAsync();
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);

            await Page.GetByLabel("Template", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "ubuntu-24.04-template (9000) · proxmox-01" });
            await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("e2e-web-01");
            await Page.GetByTestId("nv-linked").CheckAsync();
            await Page.GetByLabel("Cores", new() { Exact = true }).FillAsync("2");
            await Page.GetByLabel("Memory (MiB)", new() { Exact = true }).FillAsync("2048");
            await Page.GetByLabel("User", new() { Exact = true }).FillAsync("e2e");
            await Page.GetByLabel("SSH public keys (one per line)", new() { Exact = true }).FillAsync("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g e2e@moxxie");
            await Page.GetByLabel("IP configuration (first NIC)", new() { Exact = true }).FillAsync("ip=dhcp");
            await Page.GetByTestId("nv-submit").ClickAsync();

            // The deployment view: live status and the event log as the worker writes it.
            await Expect(Page).ToHaveURLAsync(new Regex("/deployments/dep_[0-9a-f]{16}$"));
            var status = Page.GetByTestId("deployment-status");
            await Expect(status).ToHaveTextAsync("ACTIVE", new() { Timeout = (float)Provisioning.TotalMilliseconds });
            var events = Page.GetByTestId("deployment-event");
            await Expect(events.Filter(new() { HasText = "Clone task started" }).GetByTestId("event-upid")).ToHaveTextAsync(new Regex("^UPID:proxmox-01:.*:qmclone:9000:"));
            await Expect(events.Filter(new() { HasText = "Applying configuration: cores=2, memory=2048 MiB, ciuser=e2e, sshkeys (1 key" })).ToHaveCountAsync(1);
            await Expect(events.Last).ToContainTextAsync("is ready on proxmox-01");
            var texts = await events.AllInnerTextsAsync();
            int Index(string text) => texts.ToList().FindIndex(t => t.Contains(text, StringComparison.Ordinal));
            Assert.True(Index("Requested by admin") < Index("Clone task started") && Index("Clone task started") < Index("Configuration applied")
                && Index("Configuration applied") < Index("Starting VM"), string.Join("\n", texts));
            await Expect(Page.GetByTestId("deployment-node")).ToContainTextAsync("proxmox-01 (elected)");

            await Page.GetByTestId("deployment-vm-link").ClickAsync();
            var detail = new VmDetailPageObject(Page, Circuit);
            await Expect(detail.Name).ToHaveTextAsync("e2e-web-01");
            await Expect(detail.Status).ToHaveTextAsync("running");
        });
    }

    [Fact]
    public async Task Removing_a_protected_vm_shows_pves_refusal_and_the_vm_stays()
    {
        var ct = TestContext.Current.CancellationToken;
        using var pve = Host.CreateSimulatorClient();
        // Protection set straight through PVE's API (as an admin would in PVE's own GUI).
        using (var response = await pve.PutAsync("nodes/proxmox-03/qemu/119/config", new FormUrlEncodedContent([new("protection", "1")]), ct))
            Assert.True(response.IsSuccessStatusCode, response.ReasonPhrase);
        try
        {
            await RunAsync(async () =>
            {
                await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
                var detail = new VmDetailPageObject(Page, Circuit);
                await detail.GotoAsync(119, UiTimeout);
                await Expect(detail.Name).ToHaveTextAsync("app-server-03");

                await Page.GetByTestId("vm-remove").ClickAsync();
                var dialog = Page.GetByTestId("remove-dialog");
                await Expect(dialog).ToBeVisibleAsync();
                var remove = dialog.GetByTestId("remove-submit");
                await Expect(remove).ToBeDisabledAsync();
                await dialog.GetByTestId("remove-confirm").FillAsync("app-server-0");
                await Expect(remove).ToBeDisabledAsync();
                await dialog.GetByTestId("remove-confirm").FillAsync("app-server-03");
                await Expect(remove).ToBeEnabledAsync();
                await remove.ClickAsync();

                await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("can't remove VM 119 - protection mode enabled");
                await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
                await Expect(dialog).ToHaveCountAsync(0);
                await Expect(detail.Name).ToHaveTextAsync("app-server-03");
            });
            Assert.Contains(Host.Simulator.Cluster.Guests, g => g.Vmid == 119);
            var audit = await Host.AuditEntriesAsync(q => q.Where(a => a.Operation == "VM_DELETE" && a.ResourceId == "119"), ct);
            var row = Assert.Single(audit);
            Assert.False(row.Success);
            Assert.Equal("can't remove VM 119 - protection mode enabled", row.Error);
        }
        finally
        {
            using var _ = await pve.PutAsync("nodes/proxmox-03/qemu/119/config", new FormUrlEncodedContent([new("delete", "protection")]), CancellationToken.None);
        }
    }
}
