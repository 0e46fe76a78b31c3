using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>Tasks panel (on /vms and /tasks): data-testid="tasks-panel", rows data-testid="task-row" with data-upid.</summary>
public sealed class TasksPanel(IPage page)
{
    public ILocator Root => page.GetByTestId("tasks-panel");
    public ILocator Rows => Root.GetByTestId("task-row");

    /// <summary>Rows of one PVE task type for one guest; UPIDs read UPID:node:pid:pstart:starttime:type:id:user:.</summary>
    public ILocator RowsFor(string taskType, int vmid) =>
        Root.Locator($"[data-testid=task-row][data-upid*=\":{taskType}:{vmid}:\"]");
}
