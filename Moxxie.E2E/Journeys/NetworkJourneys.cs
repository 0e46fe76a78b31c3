using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Network (issue 4): proxmox-01's interfaces, its topology with vmbr0 feeding VM NICs (tagged ones with their VLAN), keyboard focus on the diagram,
/// and the SDN tab with the simulator's VNets, pending changes reverted and applied.</summary>
[Collection(JourneyCollection.Name)]
public sealed class NetworkJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Network_page_lists_the_interfaces_of_proxmox_01()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoNetworkAsync("proxmox-01", UiTimeout);

            foreach (var iface in new[] { "eno1", "eno2", "vmbr0", "vmbr1", "vmbr0.50" })
                await Expect(infra.InterfaceRow(iface)).ToBeVisibleAsync();
            var vmbr0 = infra.InterfaceRow("vmbr0");
            await Expect(vmbr0.GetByTestId("iface-ip")).ToContainTextAsync("192.168.1.10/24");
            await Expect(vmbr0.GetByTestId("iface-ip")).ToContainTextAsync("192.168.1.1");
            await Expect(vmbr0).ToContainTextAsync("VLAN-aware");
            await Expect(vmbr0).ToContainTextAsync("eno1");
            await Expect(vmbr0).ToContainTextAsync("Management and VM traffic");
        });
    }

    [Fact]
    public async Task Topology_shows_vmbr0_feeding_a_vm_nic_with_its_vlan_tag_and_its_boxes_take_keyboard_focus()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoNetworkAsync("proxmox-01", UiTimeout);

            await infra.NetworkTab("Topology").ClickAsync();
            var bridge = infra.TopologyNode("if:vmbr0");
            await Expect(bridge).ToBeVisibleAsync();
            await Expect(infra.TopologyNode("if:eno1")).ToBeVisibleAsync();
            // vmbr0 → web-server-01's first NIC (VMID 101 runs on proxmox-01).
            await Expect(infra.TopologyNode("vm:101:net0")).ToBeVisibleAsync();
            await Expect(Page.Locator("[data-testid=topology] path[data-from=\"if:vmbr0\"][data-to=\"vm:101:net0\"]")).ToHaveCountAsync(1);
            // web-server-01's net0 is tagged VLAN 10 on the VLAN-aware vmbr0; mail-gateway-01 (107) rides the native VLAN.
            await Expect(Page.Locator("[data-testid=topology-tag][data-to=\"vm:101:net0\"]")).ToHaveTextAsync("10");
            await Expect(Page.Locator("[data-testid=topology-tag][data-to=\"vm:107:net0\"]")).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("topology-list")).ToContainTextAsync("web-server-01 net0 · VLAN 10");
            await Expect(Page.Locator("[data-testid=topology] path[data-from=\"if:eno1\"][data-to=\"if:vmbr0\"]")).ToHaveCountAsync(1);

            await bridge.FocusAsync();
            await Expect(bridge).ToBeFocusedAsync();
            Assert.Contains("web-server-01 net0", await bridge.GetAttributeAsync("aria-label"));
            await Page.Keyboard.PressAsync("Tab");
            await Expect(Page.Locator("[data-testid=topology-node]:focus")).ToHaveCountAsync(1);
        });
    }

    [Fact]
    public async Task Sdn_tab_lists_the_simulators_vnets()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoNetworkAsync("proxmox-01", UiTimeout);

            await infra.NetworkTab("SDN").ClickAsync();
            foreach (var vnet in new[] { "prodweb", "proddb", "labnet" })
                await Expect(infra.VnetRow(vnet)).ToBeVisibleAsync();
            await Expect(infra.VnetRow("prodweb")).ToContainTextAsync("prodzone");
            await Expect(infra.VnetRow("prodweb")).ToContainTextAsync("100");
            await Expect(Page.Locator("[data-testid=sdn-zone-row][data-zone=\"labzone\"]")).ToContainTextAsync("simple");
        });
    }

    [Fact]
    public async Task Pending_changes_show_as_a_diff_and_an_admin_reverts_then_applies_them()
    {
        var ct = TestContext.Current.CancellationToken;
        using var pve = Host.CreateSimulatorClient();
        await RunAsync(async () =>
        {
            await CreatePendingBridgeAsync(pve, "vmbr7", ct);
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var infra = new InfraPagesObject(Page, Circuit);
            await infra.GotoNetworkAsync("proxmox-03", UiTimeout);

            var pending = Page.GetByTestId("network-pending");
            await Expect(pending).ToContainTextAsync("vmbr7");
            await Page.GetByTestId("network-revert").ClickAsync();
            await infra.ConfirmButton.ClickAsync();
            await Expect(pending).ToHaveCountAsync(0);

            await CreatePendingBridgeAsync(pve, "vmbr8", ct);
            await Page.ReloadAsync();
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(pending).ToContainTextAsync("vmbr8");
            await Page.GetByTestId("network-apply").ClickAsync();
            await infra.ConfirmButton.ClickAsync();
            await Expect(pending).ToHaveCountAsync(0);
            await Expect(infra.InterfaceRow("vmbr8")).ToBeVisibleAsync();

            var ops = (await Host.AuditEntriesAsync(q => q.Where(e => e.Node == "proxmox-03" && e.Operation.StartsWith("NETWORK_")), ct))
                .Select(e => (e.Operation, e.Success)).ToList();
            Assert.Equal([("NETWORK_REVERT", true), ("NETWORK_APPLY", true)], ops);
        });
    }

    /// <summary>What an operator would do on the node's own GUI: create a bridge, which PVE keeps in interfaces.new until applied.</summary>
    private static async Task CreatePendingBridgeAsync(HttpClient pve, string bridge, CancellationToken ct)
    {
        using var response = await pve.PostAsync("nodes/proxmox-03/network", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["iface"] = bridge, ["type"] = "bridge", ["autostart"] = "1", ["comments"] = "E2E pending bridge",
        }), ct);
        Assert.True(response.IsSuccessStatusCode, $"create {bridge}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
}
