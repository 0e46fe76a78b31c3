using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>
/// Issue 3 "done when": a node going off-line (taken down through the simulator's /_sim control) turns red on the
/// dashboard, live, within the poll window, and on its /nodes card; back on-line, both recover.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class NodeOfflineJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    private const string Node = "proxmox-02";

    [Fact]
    public async Task A_node_going_offline_turns_red_on_the_dashboard_and_its_card_then_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sim = new SimulatorControlClient(Host.Simulator);
        try
        {
            await RunAsync(async () =>
            {
                await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
                var dashboard = new DashboardPage(Page, Circuit);
                await dashboard.GotoAsync(UiTimeout);
                await Expect(dashboard.Node(Node)).ToHaveAttributeAsync("data-status", "online");
                await CssColor.ExpectRedAsync(dashboard.NodeDot(Node), "background-color", red: false, UiTimeout, $"{Node} on-line, its dot");

                var navigations = 0;
                Page.FrameNavigated += (_, frame) => { if (frame == Page.MainFrame) navigations++; };
                await sim.NodeOfflineAsync(Node, ct);

                // Within the stale/poll window (2 s polls here; UiTimeout leaves room for a busy machine), without reload.
                await Expect(dashboard.Node(Node)).ToHaveAttributeAsync("data-status", "offline");
                await CssColor.ExpectRedAsync(dashboard.NodeDot(Node), "background-color", red: true, UiTimeout, $"{Node} off-line, its dot");
                await Expect(Page.GetByTestId("nodes-online")).ToContainTextAsync("2 / 3");
                foreach (var other in new[] { "proxmox-01", "proxmox-03" })
                    await Expect(dashboard.Node(other)).ToHaveAttributeAsync("data-status", "online");
                Assert.Equal(0, navigations);

                var nodes = new NodePagesObject(Page, Circuit);
                await nodes.GotoListAsync(UiTimeout);
                await Expect(nodes.Card(Node)).ToHaveAttributeAsync("data-status", "offline");
                await Expect(nodes.Card(Node).GetByTestId("node-status")).ToHaveTextAsync("offline");
                await CssColor.ExpectRedAsync(nodes.Card(Node), "border-top-color", red: true, UiTimeout, $"{Node} off-line, its card");

                await sim.NodeOnlineAsync(Node, ct);
                await Expect(nodes.Card(Node)).ToHaveAttributeAsync("data-status", "online");
                await CssColor.ExpectRedAsync(nodes.Card(Node), "border-top-color", red: false, UiTimeout, $"{Node} back on-line, its card");

                await dashboard.GotoAsync(UiTimeout);
                await Expect(dashboard.Node(Node)).ToHaveAttributeAsync("data-status", "online");
                await CssColor.ExpectRedAsync(dashboard.NodeDot(Node), "background-color", red: false, UiTimeout, $"{Node} back on-line, its dot");
                await Expect(Page.GetByTestId("nodes-online")).ToContainTextAsync("3 / 3");
            });
        }
        finally
        {
            await sim.NodeOnlineAsync(Node, CancellationToken.None);   // the journeys after this one need the node
        }
    }
}
