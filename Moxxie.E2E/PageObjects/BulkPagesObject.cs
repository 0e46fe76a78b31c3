using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>Bulk operations (issue 7): the VM list's bulk actions bar ([data-testid=bulk-actions], the power menu behind
/// [data-testid=bulk-power], the others [data-testid=bulk-{op}]), the wizard /bulk/new ([data-testid=bulk-wizard], the
/// current step [data-testid=bulk-step][data-step], plan rows tr[data-testid=plan-row][data-vmid][data-ok]), the execution
/// view /bulk/{id} ([data-testid=bulk-run][data-status], task rows tr[data-testid=bulk-task][data-vmid][data-status],
/// counts [data-testid=count-…]) and the history /bulk.</summary>
public sealed class BulkPagesObject(IPage page)
{
    // VM list
    public ILocator SelectVm(string vmName) => page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {vmName}", Exact = true });
    public ILocator SelectionBar => page.GetByTestId("selection-bar");
    public ILocator BulkActions => page.GetByTestId("bulk-actions");

    /// <summary>Opens the wizard from the list's bulk actions bar (power operations through the Power menu).</summary>
    public async Task OpenFromListAsync(string operation)
    {
        if (operation is "start" or "stop" or "shutdown" or "reboot" or "suspend" or "resume")
        {
            await page.GetByTestId("bulk-power").ClickAsync();
            await page.GetByTestId("bulk-power-menu").GetByTestId($"bulk-{operation}").ClickAsync();
        }
        else
        {
            await BulkActions.GetByTestId($"bulk-{operation}").ClickAsync();
        }
        await Assertions.Expect(Wizard).ToBeVisibleAsync();
    }

    // wizard
    public ILocator Wizard => page.GetByTestId("bulk-wizard");
    public ILocator Step => page.GetByTestId("bulk-step");
    public ILocator TargetCount => page.GetByTestId("bulk-target-count");
    public ILocator Operation(string op) => page.GetByTestId($"bulk-op-{op}");
    public ILocator Next => page.GetByTestId("bulk-next");
    public ILocator Continue => page.GetByTestId("bulk-continue");
    public ILocator DryRun => page.GetByTestId("bulk-dry-run");
    public ILocator Sequential => page.GetByTestId("bulk-sequential");
    public ILocator SnapshotName => page.GetByTestId("bulk-snapshot-name");
    public ILocator NamePreview => page.GetByTestId("bulk-name-preview");
    public ILocator PreviewRows => page.GetByTestId("bulk-preview-row");
    public ILocator Plan => page.GetByTestId("bulk-plan");
    public ILocator PlanRows => page.GetByTestId("plan-row");
    public ILocator PlanRow(int vmid) => page.Locator($"tr[data-testid=plan-row][data-vmid=\"{vmid}\"]");
    public ILocator Execute => page.GetByTestId("bulk-execute");

    /// <summary>The confirmation dialog of a destructive operation (Radzen: role dialog or alertdialog).</summary>
    public ILocator ConfirmDialog => page.GetByRole(AriaRole.Alertdialog).Or(page.GetByRole(AriaRole.Dialog));
    public ILocator ConfirmButton => ConfirmDialog.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true });

    // execution view
    public ILocator Run => page.GetByTestId("bulk-run");
    public ILocator RunStatus => page.GetByTestId("bulk-status");
    public ILocator Count(string what) => page.GetByTestId($"count-{what}");
    public ILocator Tasks => page.GetByTestId("bulk-task");
    public ILocator Task(int vmid) => page.Locator($"tr[data-testid=bulk-task][data-vmid=\"{vmid}\"]");
    public ILocator TaskStatus(int vmid) => Task(vmid).GetByTestId("task-status");
    public ILocator Log => page.GetByTestId("bulk-log");
    public ILocator Summary => page.GetByTestId("bulk-summary");
    public ILocator Abort => page.GetByTestId("bulk-abort");
    public ILocator AbortConfirm => page.GetByTestId("bulk-abort-confirm");
    public ILocator Retry => page.GetByTestId("bulk-retry");

    // history
    public ILocator HistoryRows => page.GetByTestId("bulk-history-row");
    public ILocator HistoryRow(string id) => page.Locator($"tr[data-testid=bulk-history-row][data-id=\"{id}\"]");
    public ILocator NewButton => page.GetByTestId("bulk-new");

    /// <summary>The operation id from the execution view's URL (/bulk/{id}).</summary>
    public string OperationId => new Uri(page.Url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Last();
}
