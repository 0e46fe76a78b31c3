using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/vms: rows tr[data-vmid], status [data-testid=vm-status], row actions labelled "{Action} {vm name}".</summary>
public sealed class VmListPage(IPage page, BlazorCircuit circuit)
{
    public static readonly string[] Actions = ["Start", "Stop", "Shutdown", "Reboot"];

    public TasksPanel Tasks { get; } = new(page);

    public ILocator Row(int vmid) => page.Locator($"tr[data-vmid=\"{vmid}\"]");
    public ILocator Status(int vmid) => Row(vmid).Locator("[data-testid=vm-status]");
    public ILocator Rows => page.Locator("tr[data-vmid]");
    public ILocator RowNamed(string name) => Rows.Filter(new() { HasText = name });

    public ILocator ActionButton(string action, string vmName) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"{action} {vmName}", Exact = true });

    /// <summary>Any row action button at all (Start/Stop/Shutdown/Reboot of any VM).</summary>
    public ILocator AnyActionButton =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^(Start|Stop|Shutdown|Reboot) ") });

    /// <summary>The confirmation dialog: Radzen renders confirms as role="alertdialog", other dialogs as role="dialog".</summary>
    public ILocator ConfirmationDialog => page.GetByRole(AriaRole.Alertdialog).Or(page.GetByRole(AriaRole.Dialog));
    public ILocator ConfirmButton => ConfirmationDialog.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true });
    public ILocator CancelButton => ConfirmationDialog.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true });

    /// <summary>Clicks a destructive action and waits for its confirmation dialog.</summary>
    public async Task OpenConfirmationAsync(string action, string vmName)
    {
        await ActionButton(action, vmName).ClickAsync();
        await Assertions.Expect(ConfirmationDialog).ToBeVisibleAsync();
    }

    /// <summary>Opens /vms (or expects to be there) and waits until the list is live: rows shown, circuit rendered.</summary>
    public async Task GotoAsync(TimeSpan timeout)
    {
        if (!new Uri(page.Url).AbsolutePath.Equals("/vms", StringComparison.OrdinalIgnoreCase))
            await page.GotoAsync("/vms");
        await WaitUntilLoadedAsync(timeout);
    }

    public async Task WaitUntilLoadedAsync(TimeSpan timeout)
    {
        await Assertions.Expect(Rows.First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
