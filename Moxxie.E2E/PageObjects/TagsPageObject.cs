using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/tags and /tags/{name}: the tag cloud/list, the create/edit, rename, delete and bulk dialogs, and the per-VM
/// result table (data-testid selectors).</summary>
public sealed class TagsPageObject(IPage page, BlazorCircuit circuit)
{
    public ILocator Count => page.GetByTestId("tags-count");
    public ILocator CreateButton => page.GetByTestId("tags-create");
    public ILocator BulkButton => page.GetByTestId("tags-bulk");
    public ILocator Search => page.GetByTestId("tags-search");
    public ILocator Rows => page.GetByTestId("tag-row");
    public ILocator Row(string tag) => page.Locator($"[data-testid='tag-row'][data-tag='{tag}']");
    public ILocator CloudChip(string tag) => page.Locator($"[data-testid='tags-cloud'] .mx-tag[data-tag='{tag}']");

    public ILocator EditDialog => page.GetByTestId("tag-edit-dialog");
    public ILocator RenameDialog => page.GetByTestId("tag-rename-dialog");
    public ILocator DeleteDialog => page.GetByTestId("tag-delete-dialog");
    public ILocator BulkDialog => page.GetByTestId("tag-bulk-dialog");
    public ILocator ResultRows => page.GetByTestId("tag-result-row");
    public ILocator ResultSummary => page.GetByTestId("tag-results-summary");
    public ILocator CloseDialog => page.GetByTestId("tag-dialog-close");

    public async Task GotoAsync(TimeSpan timeout, string path = "tags")
    {
        await page.GotoAsync(path);
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }

    /// <summary>Switches to the list view (a table with one row per tag and its actions).</summary>
    public Task ShowListAsync() => page.GetByTestId("tags-view").GetByRole(AriaRole.Radio, new() { Name = "List" }).ClickAsync();
}
