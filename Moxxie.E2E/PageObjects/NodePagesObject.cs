using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/nodes (cards data-testid=node-card with data-node/data-status) and /nodes/{node} (services, reboot dialog).</summary>
public sealed class NodePagesObject(IPage page, BlazorCircuit circuit)
{
    public ILocator Card(string node) => page.Locator($"[data-testid=node-card][data-node=\"{node}\"]");
    public ILocator Cards => page.GetByTestId("node-card");
    public ILocator ServiceRow(string service) => page.Locator($"[data-testid=service-row][data-service=\"{service}\"]");
    public ILocator ServiceButton(string action, string serviceName) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"{action} {serviceName}", Exact = true });
    public ILocator Dialog => page.GetByRole(AriaRole.Alertdialog).Or(page.GetByRole(AriaRole.Dialog));
    public ILocator ConfirmButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true });
    public ILocator CancelButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true });
    public ILocator NodeNameInput => Dialog.GetByLabel("Node name");

    public async Task GotoListAsync(TimeSpan timeout)
    {
        await page.GotoAsync("/nodes");
        await Assertions.Expect(Cards.First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }

    public async Task GotoNodeAsync(string node, TimeSpan timeout)
    {
        await page.GotoAsync($"/nodes/{node}");
        await Assertions.Expect(page.GetByTestId("node-services").Locator("[data-testid=service-row]").First)
            .ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
