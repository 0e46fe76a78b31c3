using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Moxxie.Core.Security;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Snapshot with a TTL, end to end in Chromium: created from the Snapshots tab's dialog (the name checked live by
/// PVE's rules) → the tree shows it with a TTL badge → PVE's clock (/_sim) and the reaper's clock pass the hour → the
/// reaper deletes it at PVE → the open tree drops it without a reload → the audit log page shows SNAPSHOT_EXPIRE.
/// A Viewer sees the tree but no "New snapshot".</summary>
[Collection(SnapshotTtlCollection.Name)]
public sealed class SnapshotTtlJourney(SnapshotTtlHost host) : JourneyTest(host)
{
    private const string Snapshot = "ttl-journey";

    [Fact]
    public async Task A_snapshot_with_a_one_hour_ttl_is_reaped_once_the_clock_passes_it_and_the_audit_log_shows_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vm = new VmDetailPageObject(Page, Circuit);
            await vm.GotoAsync(101, TimeSpan.FromSeconds(30));
            await vm.Tab("Snapshots").ClickAsync();

            await Page.GetByTestId("snapshot-create").ClickAsync();
            var dialog = Page.GetByTestId("snapshot-create-dialog");
            await Expect(dialog).ToBeVisibleAsync();
            var name = dialog.GetByTestId("snapshot-create-name");
            var submit = dialog.GetByTestId("snapshot-create-submit");
            // PVE's rule, checked while typing: nothing can be sent with a bad name.
            await name.FillAsync("1-bad");
            await Expect(dialog.Locator("#snap-name-error")).ToContainTextAsync("Starts with a letter");
            await Expect(submit).ToBeDisabledAsync();
            await name.FillAsync(Snapshot);
            await Expect(dialog.Locator("#snap-name-error")).ToHaveCountAsync(0);
            await dialog.GetByTestId("snapshot-create-description").FillAsync("E2E TTL journey");
            await Expect(dialog.GetByTestId("snapshot-create-ram")).ToBeEnabledAsync();   // 101 runs
            await dialog.GetByTestId("snapshot-create-ttl").FillAsync("1");
            await submit.ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);

            var row = Page.Locator($"[data-testid=snapshot-row][data-name=\"{Snapshot}\"]");
            await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(row.GetByTestId("snapshot-ttl")).ToContainTextAsync("TTL");
            await Expect(Page.GetByTestId("snapshot-progress")).ToHaveCountAsync(0, new() { Timeout = 20_000 });   // PVE's task ended
            await row.ClickAsync();
            await Expect(Page.GetByTestId("snapshot-ttl-detail")).ToContainTextAsync("1 h");
            await Expect(Page.GetByTestId("snapshot-size")).ToContainTextAsync("Not reported by this storage");   // no RAM state: PVE gives no size

            // An hour and a minute pass: PVE's clock through the simulator's control API, Moxxie's reaper clock in-process.
            using (var control = new SimulatorControlClient(Host.Simulator))
                await control.AdvanceClockAsync(TimeSpan.FromMinutes(61), ct);
            ((SnapshotTtlHost)Host).ReaperClock.Advance(TimeSpan.FromMinutes(61));

            // The reaper (every second) deletes it at PVE; the open tab reads the tree again when that task ends.
            await Expect(row).ToHaveCountAsync(0, new() { Timeout = 30_000 });

            await Page.GotoAsync("/audit?operation=SNAPSHOT_EXPIRE");
            var audit = Page.Locator($"[data-testid=audit-row][data-operation=SNAPSHOT_EXPIRE][data-resource=\"101/{Snapshot}\"]");
            await Expect(audit).ToHaveCountAsync(1);
            await Expect(audit).ToHaveAttributeAsync("data-success", "true");
            await Expect(audit).ToContainTextAsync("system");
            await Expect(audit).ToContainTextAsync(":qmdelsnapshot:101:");

            var rows = await Host.AuditEntriesAsync(q => q.Where(a => a.Operation == "SNAPSHOT_EXPIRE"), ct);
            var expired = Assert.Single(rows);
            Assert.True(expired.Success, expired.Error);
            Assert.Equal(("system", "101/" + Snapshot), (expired.User, expired.ResourceId));
            Assert.Contains(await Host.SimulatorTasksForAsync(101, ct), t => t.Type == "qmdelsnapshot" && t.Upid == expired.Upid);
        });
    }

    [Fact]
    public async Task A_viewer_sees_the_snapshots_but_cannot_create_one()
    {
        await RunAsync(async () =>
        {
            const string viewer = "ttl-viewer";
            const string password = "Ttl-Viewer-Pa55!";
            await TestUsers.CreateAsync(Host.App.Services, viewer, password, MoxxieRoles.Viewer);
            await new LoginPage(Page).SignInAsync(viewer, password);
            var vm = new VmDetailPageObject(Page, Circuit);
            await vm.GotoAsync(101, TimeSpan.FromSeconds(30));
            await vm.Tab("Snapshots").ClickAsync();
            await Expect(Page.GetByTestId("snapshot-tree").Or(Page.GetByText("No snapshots"))).ToBeVisibleAsync();
            await Expect(Page.GetByTestId("snapshot-create")).ToHaveCountAsync(0);
        });
    }
}
