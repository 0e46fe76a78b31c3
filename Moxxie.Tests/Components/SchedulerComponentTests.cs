using Moxxie.Core.Scheduling;
using Moxxie.Web.Components.Pages.Scheduler;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>The scheduler's run timeline and statistics render what the history says: outcome per run, duration, affected
/// VM count, links to every bulk operation a run submitted, per-VM results; bars scaled to the longest run.</summary>
public sealed class SchedulerComponentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    private static ScheduledRunView Run(long id, string status, double? seconds, string? operationId = null, params ScheduledRunVmResult[] details) =>
        new(id, "job-1", ScheduledRunTrigger.Scheduled, T0.AddDays(id), T0.AddDays(id), seconds is { } s ? T0.AddDays(id).AddSeconds(s) : null, status,
            details.Length, [.. details.Select(d => d.VmId)], details.Count(d => d.Status == "SUCCESS"), details.Count(d => d.Status != "SUCCESS"),
            details, null, operationId, "system");

    [Fact]
    public async Task The_timeline_shows_each_runs_outcome_duration_count_bulk_links_and_vm_results()
    {
        var runs = new[]
        {
            Run(3, ScheduledRunStatus.Partial, 12.5, "bulk-a,bulk-b|bulk-c",
                new ScheduledRunVmResult(101, "web-server-01", "prod", "SUCCESS", "Snapshot created: auto-web"),
                new ScheduledRunVmResult(102, "database-01", "prod", "FAILED", "VM is locked (backup)")),
            Run(2, ScheduledRunStatus.Running, null, "bulk-d"),
            Run(1, ScheduledRunStatus.Missed, null),
        };

        var html = await ComponentHtml.RenderAsync<JobRunTimeline>(new Dictionary<string, object?> { [nameof(JobRunTimeline.Runs)] = runs });

        Assert.Equal(3, Count(html, "data-testid=\"run-entry\""));
        Assert.Contains("data-status=\"PARTIAL\"", html);
        Assert.Contains("12.5 s", html);
        Assert.Matches("run-duration\">· running(…|&#x2026;)", html);
        Assert.Contains("2 VMs", html);
        foreach (var op in new[] { "bulk-a", "bulk-b", "bulk-c", "bulk-d" }) Assert.Contains($"href=\"bulk/{op}\"", html);
        Assert.Contains("data-vmid=\"102\" data-status=\"FAILED\"", html);
        Assert.Contains("VM is locked (backup)", html);
        Assert.Contains("href=\"vms/101?connection=prod\"", html);
    }

    [Fact]
    public async Task No_runs_says_so()
    {
        var html = await ComponentHtml.RenderAsync<JobRunTimeline>(new Dictionary<string, object?> { [nameof(JobRunTimeline.Runs)] = Array.Empty<ScheduledRunView>() });
        Assert.Contains("data-testid=\"run-timeline-empty\"", html);
    }

    [Fact]
    public async Task Statistics_show_the_figures_and_bars_scaled_to_the_longest_finished_run_oldest_first()
    {
        var runs = new[] { Run(3, ScheduledRunStatus.Failed, 5), Run(2, ScheduledRunStatus.Running, null), Run(1, ScheduledRunStatus.Success, 20) };

        var html = await ComponentHtml.RenderAsync<JobStatsPanel>(new Dictionary<string, object?>
        {
            [nameof(JobStatsPanel.Statistics)] = new JobStatistics(2, 1, 1, 12.5),
            [nameof(JobStatsPanel.Runs)] = runs,
        });

        Assert.Contains("data-testid=\"stat-total\">2<", html);
        Assert.Contains("data-testid=\"stat-failed\">1<", html);
        Assert.Contains("data-testid=\"stat-average\">12.5 s<", html);
        Assert.Contains("data-testid=\"stat-rate\">50 %<", html);
        Assert.Contains("data-points=\"2\"", html);
        var success = html.IndexOf("height: 100%", StringComparison.Ordinal);
        var failed = html.IndexOf("height: 25%", StringComparison.Ordinal);
        Assert.True(success > 0 && failed > success, html);   // oldest (20 s, success) first, then 5 s failed at a quarter
    }

    private static int Count(string html, string needle)
    {
        var n = 0;
        for (var i = html.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = html.IndexOf(needle, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
