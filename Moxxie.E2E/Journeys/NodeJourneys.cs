using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Nodes (issue 4): cards with status, a node's services with a state-changing action, and node reboot guarded by
/// typing the node's name.</summary>
[Collection(JourneyCollection.Name)]
public sealed class NodeJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Node_cards_show_every_node_online()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var nodes = new NodePagesObject(Page, Circuit);
            await nodes.GotoListAsync(UiTimeout);

            foreach (var node in new[] { "proxmox-01", "proxmox-02", "proxmox-03" })
                await Expect(nodes.Card(node)).ToHaveAttributeAsync("data-status", "online");
            await Expect(nodes.Card("proxmox-01").GetByTestId("node-version")).ToContainTextAsync("pve-manager/");
        });
    }

    [Fact]
    public async Task Node_detail_lists_services_and_stopping_then_starting_one_changes_its_state()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var nodes = new NodePagesObject(Page, Circuit);
            await nodes.GotoNodeAsync("proxmox-03", UiTimeout);

            foreach (var service in new[] { "pve-cluster", "pvedaemon", "pve-firewall", "pveproxy" })
                await Expect(nodes.ServiceRow(service)).ToHaveAttributeAsync("data-state", "running");

            var chrony = nodes.ServiceRow("chrony");
            await Expect(chrony).ToHaveAttributeAsync("data-state", "running");
            await nodes.ServiceButton("Stop", "chrony").ClickAsync();
            await Expect(nodes.Dialog).ToBeVisibleAsync();
            await nodes.ConfirmButton.ClickAsync();
            await Expect(chrony).Not.ToHaveAttributeAsync("data-state", "running");
            Assert.Equal("dead", await chrony.GetAttributeAsync("data-state"));

            await nodes.ServiceButton("Start", "chrony").ClickAsync();
            await nodes.ConfirmButton.ClickAsync();
            await Expect(chrony).ToHaveAttributeAsync("data-state", "running");
        });
    }

    [Fact]
    public async Task Node_reboot_confirm_is_enabled_only_once_the_name_is_typed()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var nodes = new NodePagesObject(Page, Circuit);
            await nodes.GotoNodeAsync("proxmox-02", UiTimeout);

            await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Reboot proxmox-02", Exact = true }).ClickAsync();
            await Expect(nodes.Dialog).ToBeVisibleAsync();
            await Expect(nodes.ConfirmButton).ToBeDisabledAsync();
            await nodes.NodeNameInput.FillAsync("proxmox-0");
            await Expect(nodes.ConfirmButton).ToBeDisabledAsync();
            await nodes.NodeNameInput.FillAsync("proxmox-02");
            await Expect(nodes.ConfirmButton).ToBeEnabledAsync();

            // Cancel: the shared cluster keeps its node (the journeys after this one need it).
            await nodes.CancelButton.ClickAsync();
            await Expect(nodes.Dialog).ToHaveCountAsync(0);
            Assert.Empty(await Host.AuditEntriesAsync(q => q.Where(e => e.Operation == "NODE_REBOOT"), TestContext.Current.CancellationToken));
        });
    }
}
