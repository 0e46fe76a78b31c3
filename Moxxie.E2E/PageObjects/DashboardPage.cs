using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/ (dashboard): per-cluster node list items data-testid=dashboard-node with data-node/data-status and a
/// coloured dot data-testid=node-dot.</summary>
public sealed class DashboardPage(IPage page, BlazorCircuit circuit)
{
    public ILocator Nodes => page.GetByTestId("dashboard-node");
    public ILocator Node(string name) => page.Locator($"[data-testid=dashboard-node][data-node=\"{name}\"]");
    public ILocator NodeDot(string name) => Node(name).GetByTestId("node-dot");

    public async Task GotoAsync(TimeSpan timeout)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(Nodes.First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
