using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/scheduler (the job list with its history timeline and statistics) and /scheduler/new | /scheduler/{id}/edit
/// (the job form: cron builder, selector builder with preview). Locators are built anew on each use.</summary>
public sealed class SchedulerPagesObject(IPage page)
{
    // List
    public ILocator Table => page.GetByTestId("scheduler-table");
    public ILocator NewButton => page.GetByTestId("scheduler-new");
    public ILocator Row(string name) => page.Locator("tr[data-testid=job-row]").Filter(new() { Has = page.Locator("td.mx-strong", new() { HasTextString = name }) });
    public ILocator Rows => page.Locator("tr[data-testid=job-row]");
    public ILocator HistoryPanel => page.GetByTestId("job-history-panel");
    public ILocator RunEntries => HistoryPanel.GetByTestId("run-entry");
    public ILocator RunVm(int vmid) => RunEntries.First.Locator($"tr[data-testid=run-vm][data-vmid=\"{vmid}\"]");
    public ILocator Stat(string name) => HistoryPanel.GetByTestId($"stat-{name}");
    public ILocator ConfirmDialog => page.GetByRole(AriaRole.Dialog);
    public ILocator ConfirmButton => ConfirmDialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" });
    public ILocator ActionButtons => page.Locator("[data-testid=job-run], [data-testid=job-edit], [data-testid=job-toggle], [data-testid=job-delete]");

    // Form
    public ILocator Form => page.GetByTestId("job-form");
    public ILocator Name => page.GetByTestId("job-name");
    public ILocator Description => page.GetByTestId("job-description");
    public ILocator Enabled => page.GetByTestId("job-enabled");
    public ILocator Task(string type) => page.GetByTestId($"job-task-{type}");
    public ILocator Param(string name) => page.GetByTestId($"param-{name}");
    public ILocator TimeZone => page.GetByTestId("job-timezone");
    public ILocator CronBuilder => page.GetByTestId("cron-builder");
    public ILocator Preset => page.GetByTestId("cron-preset");
    public ILocator Time => page.GetByTestId("cron-time");
    public ILocator Raw => page.GetByTestId("cron-raw");
    public ILocator CronStatus => page.GetByTestId("cron-status");
    public ILocator CronError => page.GetByTestId("cron-error");
    public ILocator CronFields => page.GetByTestId("cron-fields");
    public ILocator CronBadField => page.GetByTestId("cron-field-bad");
    public ILocator CronWords => page.GetByTestId("cron-words");
    public ILocator NextFireTimes => page.GetByTestId("cron-next").Locator("li");
    public ILocator SelectorRows => page.GetByTestId("selector-row");
    public ILocator TagExpression(int row) => SelectorRows.Nth(row).GetByTestId("selector-tag-expression");
    public ILocator SelectorPick(int row, string name) => SelectorRows.Nth(row).Locator($"input[data-testid=selector-pick][value=\"{name}\"]");
    public ILocator AddSelectorType => page.GetByTestId("selector-add-type");
    public ILocator AddSelector => page.GetByTestId("selector-add");
    public ILocator Preview => page.GetByTestId("selector-preview");
    public ILocator PreviewResult => page.GetByTestId("selector-preview-result");
    public ILocator PreviewVms => page.GetByTestId("selector-preview-vm");
    public ILocator Save => page.GetByTestId("job-save");
    public ILocator FieldError(string field) => page.GetByTestId($"error-{field}");

    public async Task AddSelectorAsync(string type)
    {
        await AddSelectorType.SelectOptionAsync(type);
        await AddSelector.ClickAsync();
    }
}
