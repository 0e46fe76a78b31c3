using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Security;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Scheduler screens (issue 8) in Chromium against the simulator: a job made in the form with a preset (raw
/// expression, words and next fire times in the chosen zone), selectors by tag expression AND node with the preview, run
/// now with per-VM results in the history timeline and the snapshots at PVE; a bad raw expression refused per field; edit,
/// disable and delete; a Viewer without actions or form; the form on a phone. VMs used: 116, 117 (k8s-worker on
/// proxmox-03), 202 — no other journey's.</summary>
[Collection(JourneyCollection.Name)]
public sealed class SchedulerJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_daily_job_made_with_the_preset_previews_its_vms_runs_now_and_leaves_snapshots_at_pve()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "e2e-nightly-" + Guid.NewGuid().ToString("N")[..6];
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var s = new SchedulerPagesObject(Page);
            await Page.GotoAsync("/scheduler");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await s.NewButton.ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex("/scheduler/new$"));
            await Expect(s.Form).ToBeVisibleAsync();

            await s.Name.FillAsync(name);
            await s.Description.FillAsync("Made by the E2E journey");
            await Expect(s.Task(SchedulerTaskTypes.SnapshotCreate)).ToBeCheckedAsync();
            await s.Param("snapshotNamePattern").FillAsync("sch-{vm}-{datetime}");

            // Builder → raw: weekly, then daily at 02:00.
            await s.Preset.SelectOptionAsync(nameof(CronPresetKind.Weekly));
            await Expect(s.Raw).ToHaveValueAsync("0 0 2 ? * MON");
            await s.Preset.SelectOptionAsync(nameof(CronPresetKind.Daily));
            await s.Time.FillAsync("02:00");
            await Expect(s.Raw).ToHaveValueAsync("0 0 2 * * ?");
            await Expect(s.CronWords).ToHaveTextAsync("Every day at 02:00");
            await Expect(s.NextFireTimes).ToHaveCountAsync(5);
            var now = DateTimeOffset.UtcNow;
            var firstUtc = new DateTimeOffset(now.Year, now.Month, now.Day, 2, 0, 0, TimeSpan.Zero);
            if (firstUtc <= now) firstUtc = firstUtc.AddDays(1);
            await Expect(s.NextFireTimes.First).ToHaveAttributeAsync("data-utc", firstUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            await Expect(s.NextFireTimes.Nth(4)).ToHaveAttributeAsync("data-utc", firstUtc.AddDays(4).UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

            // Raw → builder: a weekday expression moves the preset; a custom one says so.
            await s.Raw.FillAsync("0 30 6 ? * MON-FRI");
            await Expect(s.Preset).ToHaveValueAsync(nameof(CronPresetKind.Weekdays));
            await Expect(s.Time).ToHaveValueAsync("06:30");
            await s.Raw.FillAsync("0 0/15 * * * ?");
            await Expect(s.Preset).ToHaveValueAsync(nameof(CronPresetKind.Custom));
            await Expect(s.CronWords).ToHaveTextAsync("Every 15 minutes");
            await s.Preset.SelectOptionAsync(nameof(CronPresetKind.Daily));
            await s.Time.FillAsync("02:00");
            await Expect(s.Raw).ToHaveValueAsync("0 0 2 * * ?");

            // The fire times follow the zone: 02:00 in Berlin is 01:00 UTC in December.
            await s.TimeZone.SelectOptionAsync("Europe/Berlin");
            await Expect(s.NextFireTimes.First).ToContainTextAsync("02:00:00");
            await Expect(s.NextFireTimes.First).ToContainTextAsync("UTC+01:00");
            await Expect(s.NextFireTimes.First).ToHaveAttributeAsync("data-utc", new Regex("T01:00:00"));
            await s.TimeZone.SelectOptionAsync("UTC");

            // Selectors: k8s workers AND node proxmox-03 → 116, 117.
            await s.TagExpression(0).FillAsync("k8s-worker");
            await s.AddSelectorAsync(JobSelector.Node);
            await Expect(s.SelectorRows).ToHaveCountAsync(2);
            await s.SelectorPick(1, "proxmox-03").CheckAsync();
            await s.Preview.ClickAsync();
            await Expect(s.PreviewResult).ToHaveAttributeAsync("data-count", "2");
            await Expect(s.PreviewVms).ToHaveCountAsync(2);
            await Expect(s.PreviewVms.Nth(0)).ToHaveAttributeAsync("data-vmid", "116");
            await Expect(s.PreviewVms.Nth(1)).ToHaveAttributeAsync("data-vmid", "117");

            await s.Save.ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex(@"/scheduler\?job="));
            var row = s.Row(name);
            await Expect(row).ToHaveAttributeAsync("data-enabled", "true");
            await Expect(row.GetByTestId("job-schedule")).ToHaveTextAsync("Every day at 02:00");
            await Expect(row.GetByTestId("job-task")).ToHaveAttributeAsync("data-task", SchedulerTaskTypes.SnapshotCreate);
            await Expect(row.GetByTestId("job-next")).ToHaveTextAsync(firstUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            await Expect(s.HistoryPanel).ToBeVisibleAsync();   // the saved job's history opens with the list
            await Expect(s.HistoryPanel.GetByTestId("run-timeline-empty")).ToBeVisibleAsync();

            await row.GetByTestId("job-run").ClickAsync();
            await Expect(s.RunEntries.First).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await Expect(s.RunVm(116)).ToHaveAttributeAsync("data-status", "SUCCESS");
            await Expect(s.RunVm(117)).ToHaveAttributeAsync("data-status", "SUCCESS");
            await Expect(s.RunVm(116).GetByTestId("run-vm-message")).ToContainTextAsync("sch-k8s-worker-05-");
            await Expect(s.RunEntries.First.GetByTestId("run-affected")).ToContainTextAsync("2 VMs");
            await Expect(s.RunEntries.First.GetByTestId("run-operation-link")).ToHaveAttributeAsync("href", new Regex("^bulk/.+"));
            await Expect(s.Stat("total")).ToHaveTextAsync("1");
            await Expect(s.Stat("successful")).ToHaveTextAsync("1");
            await Expect(s.Stat("failed")).ToHaveTextAsync("0");
            await Expect(row.GetByTestId("job-last-status")).ToHaveTextAsync("SUCCESS");

            Assert.Contains(await SnapshotNamesAsync(116, ct), n => n.StartsWith("sch-k8s-worker-05-", StringComparison.Ordinal));
            Assert.Contains(await SnapshotNamesAsync(117, ct), n => n.StartsWith("sch-k8s-worker-06-", StringComparison.Ordinal));

            // The run links to its bulk operation.
            await s.RunEntries.First.GetByTestId("run-operation-link").ClickAsync();
            await Expect(Page).ToHaveURLAsync(new Regex(@"/bulk/[^/?]+$"));
            await Expect(Page.GetByTestId("bulk-run")).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task The_pool_selector_offers_the_clusters_pools_to_pick()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var s = new SchedulerPagesObject(Page);
            await Page.GotoAsync("/scheduler/new");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);

            // The simulator's pools (PVE's /cluster/resources pool entries and guests' pool fields) are check boxes, not a text box.
            await s.SelectorRows.Nth(0).GetByTestId("selector-type").SelectOptionAsync(JobSelector.Pool);
            await Expect(s.SelectorRows.Nth(0)).ToHaveAttributeAsync("data-type", JobSelector.Pool);
            await Expect(s.SelectorRows.Nth(0).GetByTestId("selector-value")).ToHaveCountAsync(0);
            await Expect(s.SelectorRows.Nth(0).GetByTestId("selector-pick")).ToHaveCountAsync(3);
            await s.SelectorPick(0, "staging").CheckAsync();
            await s.Preview.ClickAsync();
            await Expect(s.PreviewResult).ToHaveAttributeAsync("data-count", "4");
            await Expect(s.PreviewVms).ToHaveCountAsync(4);
            foreach (var (vmid, i) in new[] { 103, 114, 115, 119 }.Select((v, i) => (v, i)))
                await Expect(s.PreviewVms.Nth(i)).ToHaveAttributeAsync("data-vmid", vmid.ToString(CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public async Task A_bad_raw_expression_is_flagged_as_typed_and_the_servers_refusal_lands_under_each_field()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var s = new SchedulerPagesObject(Page);
            await Page.GotoAsync("/scheduler/new");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(s.CronStatus).ToHaveAttributeAsync("data-valid", "true");

            await s.Raw.FillAsync("0 61 2 * * ?");
            await Expect(s.CronStatus).ToHaveAttributeAsync("data-valid", "false");
            await Expect(s.CronError).ToContainTextAsync("Minutes field '61'");
            // The expression split into its fields, the minutes one marked in words.
            await Expect(s.CronFields.Locator("li")).ToHaveCountAsync(6);
            await Expect(s.CronBadField).ToHaveCountAsync(1);
            await Expect(s.CronBadField).ToHaveAttributeAsync("data-field", "minutes");
            await Expect(s.CronBadField).ToContainTextAsync("61");
            await Expect(s.CronBadField).ToContainTextAsync("Minutes");
            await Expect(s.CronBadField).ToContainTextAsync("not valid");
            await Expect(s.NextFireTimes).ToHaveCountAsync(0);
            await Expect(s.Preset).ToHaveValueAsync(nameof(CronPresetKind.Custom));

            // Saved anyway: the service refuses, each message under its field (no name, bad cron, empty tag expression).
            await s.Save.ClickAsync();
            await Expect(s.FieldError("name")).ToContainTextAsync("name is required");
            await Expect(s.FieldError("cronExpression")).ToContainTextAsync("Minutes field '61'");
            await Expect(s.FieldError("vmSelectors[0].value")).ToBeVisibleAsync();
            await Expect(Page).ToHaveURLAsync(new Regex("/scheduler/new$"));

            await s.Raw.FillAsync("0 0 3 * * ?");
            await Expect(s.CronStatus).ToHaveAttributeAsync("data-valid", "true");
            await Expect(s.CronFields).ToHaveCountAsync(0);
            await Expect(s.Preset).ToHaveValueAsync(nameof(CronPresetKind.Daily));
            await Expect(s.CronWords).ToHaveTextAsync("Every day at 03:00");
        });
    }

    [Fact]
    public async Task An_operator_edits_a_job_then_disables_and_deletes_it_with_confirmation()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "e2e-edit-" + Guid.NewGuid().ToString("N")[..6];
        string id;
        await using (var scope = Host.App.Services.CreateAsyncScope())
        {
            var jobs = scope.ServiceProvider.GetRequiredService<ScheduledJobService>();
            var job = await jobs.CreateAsync(Actor.System, new ScheduledJobInput(name, null, SchedulerTaskTypes.PowerOff, "0 0 22 * * ?", "UTC", true,
                new Dictionary<string, string?> { ["mode"] = "shutdown" }, [new JobSelector(JobSelector.VmIds, "202")]), ct);
            id = job.Id;
        }
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var s = new SchedulerPagesObject(Page);
            await Page.GotoAsync("/scheduler");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(s.Row(name).GetByTestId("job-schedule")).ToHaveTextAsync("Every day at 22:00");
            await s.Row(name).GetByTestId("job-edit").ClickAsync();

            await Expect(Page).ToHaveURLAsync(new Regex($"/scheduler/{id}/edit$"));
            await Expect(s.Name).ToHaveValueAsync(name);
            await Expect(s.Task(SchedulerTaskTypes.PowerOff)).ToBeCheckedAsync();
            await Expect(s.Param("mode-shutdown")).ToBeCheckedAsync();
            await Expect(s.Preset).ToHaveValueAsync(nameof(CronPresetKind.Daily));
            await Expect(s.Time).ToHaveValueAsync("22:00");
            await Expect(s.SelectorRows.First).ToHaveAttributeAsync("data-type", JobSelector.VmIds);

            await s.Preset.SelectOptionAsync(nameof(CronPresetKind.Weekly));
            await Page.GetByTestId("cron-day").SelectOptionAsync(nameof(DayOfWeek.Friday));
            await s.Time.FillAsync("23:15");
            await Expect(s.Raw).ToHaveValueAsync("0 15 23 ? * FRI");
            await s.Param("mode-stop").CheckAsync();
            await s.Param("timeout").FillAsync("120");
            await s.Description.FillAsync("edited");
            await s.Save.ClickAsync();

            await Expect(Page).ToHaveURLAsync(new Regex(@"/scheduler\?job="));
            var row = s.Row(name);
            await Expect(row.GetByTestId("job-schedule")).ToHaveTextAsync("Every Friday at 23:15");
            await Expect(row).ToContainTextAsync("edited");

            await row.GetByTestId("job-toggle").ClickAsync();
            await Expect(row).ToHaveAttributeAsync("data-enabled", "false");
            await Expect(row.GetByTestId("job-next")).ToHaveTextAsync("—");

            await row.GetByTestId("job-delete").ClickAsync();
            await Expect(s.ConfirmDialog).ToBeVisibleAsync();
            await s.ConfirmButton.ClickAsync();
            await Expect(s.Row(name)).ToHaveCountAsync(0);
        });

        await using var check = Host.App.Services.CreateAsyncScope();
        var saved = await check.ServiceProvider.GetRequiredService<ScheduledJobService>().ListAsync(ct);
        Assert.DoesNotContain(saved, j => j.Id == id);
        var audit = await Host.AuditEntriesAsync(q => q.Where(a => a.ResourceId == id), ct);
        Assert.Contains(audit, a => a.Operation == "SCHEDULER_JOB_UPDATE");
        Assert.Contains(audit, a => a.Operation == "SCHEDULER_JOB_DISABLE");
        Assert.Contains(audit, a => a.Operation == "SCHEDULER_JOB_DELETE");
    }

    [Fact]
    public async Task A_viewer_sees_the_jobs_without_actions_and_cannot_open_the_form()
    {
        var ct = TestContext.Current.CancellationToken;
        const string password = "Viewer-Sched-Pa55!";
        var name = "e2e-viewer-" + Guid.NewGuid().ToString("N")[..6];
        await using (var scope = Host.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ScheduledJobService>().CreateAsync(Actor.System, new ScheduledJobInput(name, null, SchedulerTaskTypes.PowerOn,
                "0 0 6 * * ?", "UTC", false, null, [new JobSelector(JobSelector.VmIds, "202")]), ct);
        }
        await RunAsync(async () =>
        {
            var userName = "schedviewer-" + Guid.NewGuid().ToString("N")[..8];
            await TestUsers.CreateAsync(Host.App.Services, userName, password, MoxxieRoles.Viewer);
            await new LoginPage(Page).SignInAsync(userName, password);
            var s = new SchedulerPagesObject(Page);

            await Page.GotoAsync("/scheduler");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(s.Row(name)).ToBeVisibleAsync();
            await Expect(s.NewButton).ToHaveCountAsync(0);
            await Expect(s.ActionButtons).ToHaveCountAsync(0);
            await s.Row(name).GetByTestId("job-history").ClickAsync();
            await Expect(s.HistoryPanel.GetByTestId("job-stats")).ToBeVisibleAsync();

            await Page.GotoAsync("/scheduler/new");
            await Expect(s.Form).ToHaveCountAsync(0);
            await Expect(Page.GetByTestId("job-form-page")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task The_form_works_on_a_phone_without_sideways_scrolling()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            await Page.SetViewportSizeAsync(390, 844);
            var s = new SchedulerPagesObject(Page);
            await Page.GotoAsync("/scheduler/new");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(s.Form).ToBeVisibleAsync();
            await AssertNoSidewaysScrollAsync();

            // Backup: the storage picker offers the cluster's backup storages.
            await s.Task(SchedulerTaskTypes.BackupCreate).CheckAsync();
            await Expect(s.Param("storage").Locator("option[value=\"backup-nas\"]")).ToHaveCountAsync(1);
            await Expect(s.Param("compression")).ToBeVisibleAsync();
            await s.Preset.SelectOptionAsync(nameof(CronPresetKind.Monthly));
            await Expect(Page.GetByTestId("cron-dom")).ToBeVisibleAsync();
            await s.TagExpression(0).FillAsync("env-dev AND NOT ci");
            await s.Preview.ClickAsync();
            await Expect(s.PreviewResult).ToBeVisibleAsync();
            await AssertNoSidewaysScrollAsync();
            await s.Save.ScrollIntoViewIfNeededAsync();
            await Expect(s.Save).ToBeInViewportAsync();
        });
    }

    private async Task AssertNoSidewaysScrollAsync()
    {
        var overflow = await Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 1, $"the page scrolls sideways by {overflow} px at 390 px");
    }

    private async Task<List<string>> SnapshotNamesAsync(int vmid, CancellationToken ct)
    {
        var node = Host.Simulator.Cluster.FindGuest(vmid)!.Node;
        using var client = Host.CreateSimulatorClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"nodes/{node}/qemu/{vmid}/snapshot", ct));
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("name").GetString() ?? "")];
    }
}
