using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>The dashboard (/): cluster health [data-testid=cluster-health] per connection, gauges, status cards
/// [data-testid=stat-running|stopped|paused|templates], nodes [data-testid=dashboard-node][data-node][data-status],
/// alerts [data-testid=alert][data-kind][data-subject], recent activity (tasks panel); the stale banner of every page.</summary>
public sealed class DashboardPageObject(IPage page, BlazorCircuit circuit)
{
    public ILocator ClusterHealth => page.GetByTestId("cluster-health");
    public ILocator Quorum => ClusterHealth.GetByTestId("quorum");
    public ILocator NodesOnline => ClusterHealth.GetByTestId("nodes-online");
    public ILocator Gauges => ClusterHealth.Locator("[data-testid=gauges] figure.mx-gauge");
    public ILocator Stat(string status) => ClusterHealth.GetByTestId("stat-" + status).Locator(".mx-stat__value");
    public ILocator Node(string name) => page.Locator($"[data-testid=dashboard-node][data-node=\"{name}\"]");
    public ILocator NodeChart => page.GetByTestId("node-usage-chart");
    public ILocator AlertsPanel => page.GetByTestId("alerts-panel");
    public ILocator Alert(string kind, string subject) => page.Locator($"[data-testid=alert][data-kind=\"{kind}\"][data-subject=\"{subject}\"]");
    public ILocator Activity => page.GetByTestId("tasks-panel");
    public ILocator QuickActions => page.GetByTestId("quick-actions");
    public ILocator StaleBanner => page.GetByTestId("stale-banner");

    public async Task GotoAsync(TimeSpan timeout)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(ClusterHealth.First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
