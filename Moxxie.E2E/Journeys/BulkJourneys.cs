using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Moxxie.Core.Security;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Bulk operations (issue 7) in Chromium against the simulator: from the VM list's selection through the wizard's
/// dry-run plan to the live execution view and its results; a snapshot name pattern landing at PVE; abort cancelling the
/// queued tasks; retry of the failed; the wizard on a phone; the history read-only for a Viewer. The VMs used here (105, 110, 111, 113–115,
/// 120, 121, 123–126) are no other journey's, and each journey puts back what other journeys expect.</summary>
[Collection(JourneyCollection.Name)]
public sealed class BulkJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Bulk_stop_of_three_ticked_vms_plans_flags_the_stopped_one_runs_live_and_stops_the_others()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            var bulk = new BulkPagesObject(Page);
            await vms.GotoAsync(UiTimeout);
            await Expect(vms.Status(110)).ToHaveTextAsync("running");
            await Expect(vms.Status(111)).ToHaveTextAsync("running");
            await Expect(vms.Status(124)).ToHaveTextAsync("stopped");

            foreach (var name in new[] { "k8s-worker-02", "k8s-worker-03", "dev-db-01" })
                await bulk.SelectVm(name).CheckAsync();
            await Expect(bulk.SelectionBar).ToContainTextAsync("3 selected");
            await bulk.OpenFromListAsync("stop");

            // From the list the wizard opens at the options, with the three VMs; the dry run is on by default.
            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Options");
            await Expect(bulk.TargetCount).ToHaveTextAsync("3 VMs");
            await Expect(bulk.DryRun).ToBeCheckedAsync();
            await bulk.Continue.ClickAsync();

            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Plan");
            await Expect(bulk.PlanRows).ToHaveCountAsync(3);
            await Expect(bulk.PlanRow(110)).ToHaveAttributeAsync("data-ok", "true");
            await Expect(bulk.PlanRow(111)).ToHaveAttributeAsync("data-ok", "true");
            await Expect(bulk.PlanRow(124)).ToHaveAttributeAsync("data-ok", "false");
            await Expect(bulk.PlanRow(124).GetByTestId("plan-outcome")).ToContainTextAsync(new Regex("stopped", RegexOptions.IgnoreCase));
            // Nothing ran yet: the plan is a dry run.
            Assert.Equal("running", Host.Simulator.Cluster.FindGuest(110)?.Status);

            await bulk.Execute.ClickAsync();
            await Expect(bulk.ConfirmDialog).ToBeVisibleAsync();
            await bulk.ConfirmButton.ClickAsync();

            await Expect(bulk.Run).ToBeVisibleAsync(new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await Expect(Page).ToHaveURLAsync(new Regex(@"/bulk/[^/]+$"));
            await Expect(bulk.Tasks).ToHaveCountAsync(3);
            // Live: the rows, counts and log move without a reload until the operation is final.
            await Expect(bulk.Run).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await Expect(bulk.TaskStatus(110)).ToHaveTextAsync("succeeded");
            await Expect(bulk.TaskStatus(111)).ToHaveTextAsync("succeeded");
            await Expect(bulk.TaskStatus(124)).ToHaveTextAsync("skipped");
            await Expect(bulk.Count("succeeded")).ToHaveTextAsync("2");
            await Expect(bulk.Count("skipped")).ToHaveTextAsync("1");
            await Expect(bulk.Count("failed")).ToHaveTextAsync("0");
            await Expect(bulk.Log).ToContainTextAsync("k8s-worker-02");
            await Expect(bulk.Summary).ToBeVisibleAsync();
            await Expect(Page.GetByTestId("bulk-outcome")).ToHaveTextAsync("2 succeeded, 0 failed, 1 skipped, 0 cancelled");
            await Expect(Page.GetByTestId("bulk-export-csv")).ToHaveAttributeAsync("href", new Regex(@"api/v1/bulk/operations/.+/export\.csv$"));
            await Expect(bulk.Retry).ToHaveCountAsync(0);   // nothing failed
            var id = bulk.OperationId;

            // The history lists it with its counts.
            await Page.GotoAsync("/bulk");
            await Expect(bulk.HistoryRow(id)).ToHaveAttributeAsync("data-status", "completed");
            await Expect(bulk.HistoryRow(id).GetByTestId("bulk-history-results")).ToContainTextAsync("✓ 2");

            await vms.GotoAsync(UiTimeout);
            await Expect(vms.Status(110)).ToHaveTextAsync("stopped");
            await Expect(vms.Status(111)).ToHaveTextAsync("stopped");
        });
        Host.Simulator.Cluster.SetGuestStatus(110, "running");
        Host.Simulator.Cluster.SetGuestStatus(111, "running");
    }

    [Fact]
    public async Task Bulk_snapshot_with_a_vm_date_pattern_previews_plans_and_lands_the_proposed_names()
    {
        var ct = TestContext.Current.CancellationToken;
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            var bulk = new BulkPagesObject(Page);
            await vms.GotoAsync(UiTimeout);
            await bulk.SelectVm("dev-sandbox-01").CheckAsync();
            await bulk.SelectVm("ci-runner-01").CheckAsync();
            await bulk.OpenFromListAsync("snapshot");

            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Options");
            await bulk.SnapshotName.FillAsync("{vm}-{date}");
            var date = DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            // The preview follows the typing (UTC date).
            await Expect(bulk.NamePreview.Locator("li[data-vmid=\"120\"] code")).ToHaveTextAsync(new Regex($"^dev-sandbox-01-{date[..6]}\\d\\d$"));
            await bulk.Continue.ClickAsync();

            await Expect(bulk.PlanRows).ToHaveCountAsync(2);
            var proposed120 = (await bulk.PlanRow(120).GetByTestId("plan-name").TextContentAsync())!.Trim();
            var proposed121 = (await bulk.PlanRow(121).GetByTestId("plan-name").TextContentAsync())!.Trim();
            Assert.Matches($"^dev-sandbox-01-{date[..6]}\\d\\d$", proposed120);
            Assert.Matches($"^ci-runner-01-{date[..6]}\\d\\d$", proposed121);

            await bulk.Execute.ClickAsync();   // a snapshot interrupts nothing: no confirmation
            await Expect(bulk.Run).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await Expect(bulk.Count("succeeded")).ToHaveTextAsync("2");
            await Expect(bulk.Task(120).GetByTestId("task-name")).ToHaveTextAsync(proposed120);

            Assert.Contains(proposed120, await SnapshotNamesAsync(120, ct));
            Assert.Contains(proposed121, await SnapshotNamesAsync(121, ct));
        });
    }

    [Fact]
    public async Task Aborting_a_sequential_run_cancels_the_queued_tasks_and_sends_them_to_no_one()
    {
        var ct = TestContext.Current.CancellationToken;
        int[] vmids = [113, 114, 115, 126, 105];
        using var control = new SimulatorControlClient(Host.Simulator);
        // Each snapshot POST takes 5 s at PVE: one VM at a time, so when Abort is pressed most of them are still queued.
        var fault = await control.AddLatencyAsync("POST nodes/*/qemu/*/snapshot", 5000, ct);
        try
        {
            await RunAsync(async () =>
            {
                await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
                var bulk = new BulkPagesObject(Page);
                await Page.GotoAsync("/bulk/new?op=snapshot&vms=" + string.Join(',', vmids));
                await Circuit.WaitUntilInteractiveAsync(UiTimeout);
                await Expect(bulk.TargetCount).ToHaveTextAsync("5 VMs");
                await bulk.SnapshotName.FillAsync("abort-{vmid}");
                await bulk.Sequential.CheckAsync();
                await bulk.DryRun.UncheckAsync();
                await bulk.Continue.ClickAsync();

                await Expect(bulk.Run).ToBeVisibleAsync(new() { Timeout = (float)RunTimeout.TotalMilliseconds });
                await Expect(bulk.Count("running")).ToHaveTextAsync("1", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
                await bulk.Abort.ClickAsync();
                await Expect(bulk.AbortConfirm).ToBeVisibleAsync();
                await bulk.AbortConfirm.ClickAsync();

                // The running one ends by itself; then the operation is final and Abort is gone.
                await Expect(bulk.Run).ToHaveAttributeAsync("data-status", "aborted", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
                await Expect(bulk.Abort).ToHaveCountAsync(0);
                var cancelled = bulk.Tasks.And(Page.Locator("[data-status=cancelled]"));
                var succeeded = bulk.Tasks.And(Page.Locator("[data-status=succeeded]"));
                var cancelledCount = await cancelled.CountAsync();
                Assert.True(cancelledCount >= 3, $"at least three of five queued tasks cancelled, saw {cancelledCount}");
                Assert.Equal(5, cancelledCount + await succeeded.CountAsync());
                await Expect(bulk.Count("cancelled")).ToHaveTextAsync(cancelledCount.ToString(CultureInfo.InvariantCulture));

                // No snapshot request ever reached PVE for a cancelled VM; each succeeded one got exactly one.
                foreach (var vmid in vmids)
                {
                    var status = await bulk.Task(vmid).GetAttributeAsync("data-status");
                    var snapshots = (await Host.SimulatorTasksForAsync(vmid, ct)).Count(t => t.Type == "qmsnapshot");
                    Assert.Equal(status == "cancelled" ? 0 : 1, snapshots);
                }
            });
        }
        finally
        {
            await control.RemoveFaultAsync(fault, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_failed_vm_shows_pves_message_and_retry_failed_runs_only_that_one_again()
    {
        var ct = TestContext.Current.CancellationToken;
        using var control = new SimulatorControlClient(Host.Simulator);
        var fault = await control.AddErrorAsync("POST nodes/*/qemu/125/status/start", 400, "VM 125 start refused by the journey", ct);
        string? faultId = fault;
        try
        {
            await RunAsync(async () =>
            {
                await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
                var bulk = new BulkPagesObject(Page);
                await Page.GotoAsync("/bulk/new?op=start&vms=123,125");
                await Circuit.WaitUntilInteractiveAsync(UiTimeout);
                await Expect(bulk.TargetCount).ToHaveTextAsync("2 VMs");
                await bulk.DryRun.UncheckAsync();
                await bulk.Continue.ClickAsync();   // start interrupts nothing: no confirmation

                await Expect(bulk.Run).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
                await Expect(bulk.TaskStatus(123)).ToHaveTextAsync("succeeded");
                await Expect(bulk.TaskStatus(125)).ToHaveTextAsync("failed");
                await Expect(bulk.Task(125)).ToContainTextAsync("refused by the journey");
                var first = bulk.OperationId;

                await control.RemoveFaultAsync(fault, ct);
                faultId = null;
                await Expect(bulk.Retry).ToHaveTextAsync(new Regex("Retry 1 failed", RegexOptions.IgnoreCase));
                await bulk.Retry.ClickAsync();
                await Expect(Page).Not.ToHaveURLAsync(new Regex("/bulk/" + Regex.Escape(first) + "$"));
                await Expect(bulk.Tasks).ToHaveCountAsync(1);
                await Expect(bulk.Run).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
                await Expect(bulk.TaskStatus(125)).ToHaveTextAsync("succeeded");
                Assert.Equal("running", Host.Simulator.Cluster.FindGuest(125)?.Status);
            });
        }
        finally
        {
            if (faultId is not null) await control.RemoveFaultAsync(faultId, CancellationToken.None);
            Host.Simulator.Cluster.SetGuestStatus(123, "stopped");
            Host.Simulator.Cluster.SetGuestStatus(125, "stopped");
        }
    }

    [Fact]
    public async Task The_wizard_is_usable_on_a_390px_phone()
    {
        await RunAsync(async () =>
        {
            await Page.SetViewportSizeAsync(390, 844);
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var bulk = new BulkPagesObject(Page);
            await Page.GotoAsync("/bulk/new");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Operation");

            await bulk.Operation("start").CheckAsync();
            await bulk.Next.ClickAsync();
            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Targets");
            await Page.GetByTestId("bulk-mode-name").CheckAsync();
            await Page.GetByTestId("bulk-name-pattern").FillAsync("k8s-worker-0?");
            await Expect(bulk.TargetCount).ToHaveTextAsync("6 VMs");
            await Expect(bulk.PreviewRows).ToHaveCountAsync(6);
            await AssertNoSidewaysScrollAsync();
            await bulk.Next.ClickAsync();

            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Options");
            await AssertNoSidewaysScrollAsync();
            await bulk.Continue.ClickAsync();
            await Expect(bulk.PlanRows).ToHaveCountAsync(6);
            // Running ones are flagged "already running"; nothing is executed here.
            await bulk.Execute.ScrollIntoViewIfNeededAsync();
            await Expect(bulk.Execute).ToBeInViewportAsync();
            await AssertNoSidewaysScrollAsync();
        });
    }

    [Fact]
    public async Task A_viewer_reads_the_history_and_a_run_without_any_action_button()
    {
        const string password = "Viewer-Bulk-Pa55!";
        await RunAsync(async () =>
        {
            var userName = "bulkviewer-" + Guid.NewGuid().ToString("N")[..8];
            await TestUsers.CreateAsync(Host.App.Services, userName, password, MoxxieRoles.Viewer);
            await new LoginPage(Page).SignInAsync(userName, password);
            var bulk = new BulkPagesObject(Page);

            await Page.GotoAsync("/bulk");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(Page.GetByTestId("bulk-history")).ToBeVisibleAsync();
            await Expect(bulk.NewButton).ToHaveCountAsync(0);
            await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Bulk operations" })).ToHaveCountAsync(0);   // no nav entry

            if (await bulk.HistoryRows.CountAsync() > 0)
            {
                await bulk.HistoryRows.First.GetByTestId("bulk-history-link").ClickAsync();
                await Expect(bulk.Run).ToBeVisibleAsync();
                await Expect(bulk.Abort).ToHaveCountAsync(0);
                await Expect(bulk.Retry).ToHaveCountAsync(0);
            }

            // The wizard is for operators.
            await Page.GotoAsync("/bulk/new");
            await Expect(bulk.Wizard).ToHaveCountAsync(0);
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
