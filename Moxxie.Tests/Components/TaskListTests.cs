using System.Text.RegularExpressions;
using Moxxie.Web.Components.Shared;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class TaskListTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 30, TimeSpan.Zero);

    private static TaskItem Task(string upid, bool running, string? exit, int? percent = null, string type = "qmstart") =>
        new("production-cluster", upid, "proxmox-01", type, "102", "Start VM 102 (database-01)", "admin@moxxie", Now.AddSeconds(-12),
            running ? null : Now.AddSeconds(-2), running, exit, percent, true);

    private static Task<string> RenderAsync(IReadOnlyList<TaskItem> items, string? expanded = null, IReadOnlyList<Moxxie.Core.Proxmox.TaskLogLine>? log = null) =>
        ComponentHtml.RenderAsync<TaskList>(new Dictionary<string, object?>
        {
            [nameof(TaskList.Items)] = items,
            [nameof(TaskList.Now)] = Now,
            [nameof(TaskList.ExpandedUpid)] = expanded,
            [nameof(TaskList.Log)] = log,
        });

    [Fact]
    public async Task RunningTask_WithPercent_ShowsADeterminateProgressBar()
    {
        var html = await RenderAsync([Task("UPID:proxmox-01:1:2:3:qmstart:102:admin@moxxie:", true, null, 42)]);

        Assert.Matches(new Regex("<li[^>]*data-testid=\"task-row\"[^>]*data-upid=\"UPID:proxmox-01:1:2:3:qmstart:102:admin@moxxie:\""), html);
        Assert.Contains("aria-valuenow=\"42\"", html);
        Assert.DoesNotContain("rz-progressbar-indeterminate", html);
        Assert.Contains("0:12", html);
    }

    [Fact]
    public async Task RunningTask_WithoutPercent_ShowsAnIndeterminateProgressBar()
    {
        var html = await RenderAsync([Task("UPID:a", true, null)]);

        Assert.Contains("role=\"progressbar\"", html);
        Assert.Contains("indeterminate", html);
    }

    [Fact]
    public async Task FinishedTasks_ShowOk_OrPvesError_AndNoProgressBar()
    {
        var html = await RenderAsync([
            Task("UPID:ok", false, "OK"),
            Task("UPID:bad", false, "VM 102 is locked (backup)"),
        ]);

        Assert.Contains("class=\"mx-task__outcome\" title=\"OK\">OK</span>", html);
        Assert.Contains(">VM 102 is locked (backup)</span>", html);
        Assert.Contains("data-state=\"ok\"", html);
        Assert.Contains("data-state=\"error\"", html);
        Assert.DoesNotContain("role=\"progressbar\"", html);
        Assert.Contains("0:10", html);
    }

    [Fact]
    public async Task ExpandedTask_ShowsItsLog()
    {
        var html = await RenderAsync([Task("UPID:ok", false, "OK")], "UPID:ok", [new(1, "starting VM 102"), new(2, "TASK OK")]);

        Assert.Contains("data-testid=\"task-log\"", html);
        Assert.Matches(new Regex("<pre[^>]*>starting VM 102(\n|&#xA;|&#10;)TASK OK</pre>"), html);
        Assert.Contains("aria-expanded=\"true\"", html);
    }

    [Fact]
    public async Task NoTasks_ShowsAnEmptyState()
    {
        var html = await RenderAsync([]);

        Assert.Contains("No tasks yet", html);
        Assert.DoesNotContain("task-row", html);
    }
}
