using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/vms/{vmid}: header (h1 name, vm-status), resource cards with charts (data-testid chart-*), config tabs.</summary>
public sealed class VmDetailPageObject(IPage page, BlazorCircuit circuit)
{
    public ILocator Name => page.GetByTestId("vm-name");
    public ILocator Status => page.Locator(".mx-vd-head [data-testid=vm-status]");
    public ILocator Chart(string testId) => page.GetByTestId(testId);
    public ILocator Tab(string name) => page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex($"^{name}( \\(\\d+\\))?$", System.Text.RegularExpressions.RegexOptions.IgnoreCase) });
    public ILocator DiskRow(string key) => page.Locator($"[data-testid=disk-row][data-key=\"{key}\"]");
    public ILocator NicRow(string key) => page.Locator($"[data-testid=nic-row][data-key=\"{key}\"]");
    public ILocator TaskRows => page.Locator("[data-testid=vm-tasks] [data-testid=task-row]");

    public async Task GotoAsync(int vmid, TimeSpan timeout)
    {
        await page.GotoAsync($"/vms/{vmid}");
        await Assertions.Expect(Name).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
