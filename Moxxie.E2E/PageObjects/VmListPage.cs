using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/vms: rows tr[data-testid=vm-row][data-vmid], status [data-testid=vm-status], name filter [data-testid=vm-filter]
/// (an input), the primary row action a button labelled "{Action} {vm name}", the others menu items behind
/// "More actions for {vm name}".</summary>
public sealed class VmListPage(IPage page, BlazorCircuit circuit)
{
    public static readonly string[] Actions = ["Start", "Stop", "Shutdown", "Reboot"];

    public TasksPanel Tasks { get; } = new(page);

    public ILocator Row(int vmid) => page.Locator($"tr[data-vmid=\"{vmid}\"]");
    public ILocator Status(int vmid) => Row(vmid).Locator("[data-testid=vm-status]");
    public ILocator Rows => page.Locator("tr[data-vmid]");
    public ILocator RowNamed(string name) => Rows.Filter(new() { HasText = name });
    public ILocator HeaderTitles => page.Locator(".mx-vmtable thead th button.mx-sort .mx-sort__label");
    public ILocator NameFilter => page.Locator("input[data-testid=vm-filter]");
    public ILocator ColumnsButton => page.GetByTestId("columns-button");
    public ILocator ColumnCheckbox(string cssName) => page.Locator($"[data-testid=columns-panel] input[data-column=\"{cssName}\"]");
    public ILocator ExportLink => page.GetByTestId("export-csv");
    public ILocator Count => page.GetByTestId("vm-count");

    /// <summary>The row action (primary button or menu item, once the menu is open).</summary>
    public ILocator ActionButton(string action, string vmName) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"{action} {vmName}", Exact = true })
            .Or(page.GetByRole(AriaRole.Menuitem, new() { Name = $"{action} {vmName}", Exact = true }));

    public ILocator MoreActions(string vmName) => page.GetByRole(AriaRole.Button, new() { Name = $"More actions for {vmName}", Exact = true });

    /// <summary>Any row action at all (primary buttons and menus).</summary>
    public ILocator AnyActionButton =>
        page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^(Start|Stop|Shutdown|Reboot|Resume|More actions for) ") });

    /// <summary>The confirmation dialog: Radzen renders confirms as role="alertdialog", other dialogs as role="dialog".</summary>
    public ILocator ConfirmationDialog => page.GetByRole(AriaRole.Alertdialog).Or(page.GetByRole(AriaRole.Dialog));
    public ILocator ConfirmButton => ConfirmationDialog.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true });
    public ILocator CancelButton => ConfirmationDialog.GetByRole(AriaRole.Button, new() { Name = "Cancel", Exact = true });

    /// <summary>Clicks a row action, opening the row's menu first when it is not the primary button.</summary>
    public async Task ClickActionAsync(string action, string vmName)
    {
        var primary = page.GetByRole(AriaRole.Button, new() { Name = $"{action} {vmName}", Exact = true });
        if (await primary.CountAsync() == 0)
            await MoreActions(vmName).ClickAsync();
        await ActionButton(action, vmName).ClickAsync();
    }

    /// <summary>Clicks a destructive action and waits for its confirmation dialog.</summary>
    public async Task OpenConfirmationAsync(string action, string vmName)
    {
        await ClickActionAsync(action, vmName);
        await Assertions.Expect(ConfirmationDialog).ToBeVisibleAsync();
    }

    /// <summary>Opens /vms (or expects to be there) and waits until the list is live: rows shown, circuit rendered.</summary>
    public async Task GotoAsync(TimeSpan timeout, string query = "")
    {
        if (query.Length > 0 || !new Uri(page.Url).AbsolutePath.Equals("/vms", StringComparison.OrdinalIgnoreCase))
            await page.GotoAsync("/vms" + query);
        await WaitUntilLoadedAsync(timeout);
    }

    public async Task WaitUntilLoadedAsync(TimeSpan timeout)
    {
        await Assertions.Expect(Rows.First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
