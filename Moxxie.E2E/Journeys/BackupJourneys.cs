using Microsoft.Playwright;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Backups (issue 5): "Backup now" from the Backups page → progress while vzdump runs → the new backup in the list →
/// its details show the VM's configuration at backup time, audited with the UPID; the VM detail's Backups tab lists it with
/// the same actions; deleting a protected backup is refused with PVE's message.</summary>
[Collection(JourneyCollection.Name)]
public sealed class BackupJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    /// <summary>vzdump of a 50 GiB guest takes the simulator ~17 s at TaskSpeed 5.</summary>
    private static readonly TimeSpan BackupTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Backup_now_shows_progress_then_the_backup_is_listed_with_the_vms_config()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var backups = new BackupsPageObject(Page, Circuit);
            await backups.GotoAsync("?vm=104", UiTimeout);
            await Expect(backups.RowsOf(104).First).ToBeVisibleAsync();
            var before = await backups.RowsOf(104).CountAsync();
            Assert.Equal(before, await backups.Rows.CountAsync());   // the VM filter keeps only 104's backups

            await backups.BackupNowButton.ClickAsync();
            await Expect(backups.NowDialog).ToBeVisibleAsync();
            await backups.NowVm.SelectOptionAsync("production-cluster|104");
            await Expect(backups.NowStorage).ToHaveValueAsync("backup-nas");
            await backups.NowMode.SelectOptionAsync("snapshot");
            var notes = $"e2e {Guid.NewGuid():N}"[..16];
            await backups.NowNotes.FillAsync(notes);
            await backups.NowStart.ClickAsync();
            await Expect(backups.NowDialog).ToBeHiddenAsync();

            await Expect(backups.Progress(104)).ToBeVisibleAsync();
            var added = backups.RowsOf(104).Filter(new() { HasText = notes });
            await Expect(added).ToHaveCountAsync(1, new() { Timeout = (float)BackupTimeout.TotalMilliseconds });
            await Expect(backups.Progress(104)).ToHaveCountAsync(0);
            await Expect(backups.RowsOf(104)).ToHaveCountAsync(before + 1);

            await added.GetByTestId("backup-details").ClickAsync();
            await Expect(backups.DetailsDialog).ToBeVisibleAsync();
            await Expect(backups.ConfigRow("name")).ToContainTextAsync("web-server-02");
            await Expect(backups.ConfigRow("cores")).ToContainTextAsync("4");
            await Expect(backups.ConfigRow("memory")).ToContainTextAsync("4096");
            await Expect(backups.DetailsDialog.GetByTestId("backup-details-notes")).ToHaveTextAsync(notes);
            await Expect(backups.DetailsDialog.GetByTestId("backup-path")).ToContainTextAsync("/mnt/pve/backup-nas/dump/vzdump-qemu-104-");
            await Page.Keyboard.PressAsync("Escape");
            await Expect(backups.DetailsDialog).ToBeHiddenAsync();

            var volid = await added.GetAttributeAsync("data-volid");
            var audit = await Host.AuditEntriesAsync(q => q.Where(e => e.Operation == "BACKUP_CREATE" && e.ResourceId == "104"), TestContext.Current.CancellationToken);
            Assert.Contains(audit, e => e.Success && e.Upid != null && e.Upid.Contains(":vzdump:104:", StringComparison.Ordinal) && e.DetailsJson!.Contains(notes, StringComparison.Ordinal));

            // The VM detail's Backups tab lists the same backup with the same actions.
            var detail = new VmDetailPageObject(Page, Circuit);
            await detail.GotoAsync(104, UiTimeout);
            await detail.Tab("Backups").ClickAsync();
            await Expect(backups.Row(volid!)).ToBeVisibleAsync();
            await Expect(backups.BackupNowButton).ToBeVisibleAsync();
            await Expect(backups.Row(volid!).GetByTestId("backup-delete")).ToBeVisibleAsync();
            // The tab's count came with the page and follows a backup made from the tab.
            await Expect(detail.Tab("Backups")).ToHaveTextAsync($"Backups ({before + 1})");
            await backups.BackupNowButton.ClickAsync();
            await Expect(backups.NowDialog).ToBeVisibleAsync();
            await backups.NowStart.ClickAsync();
            await Expect(backups.NowDialog).ToBeHiddenAsync();
            await Expect(detail.Tab("Backups")).ToHaveTextAsync($"Backups ({before + 2})", new() { Timeout = (float)BackupTimeout.TotalMilliseconds });
        });
    }

    [Fact]
    public async Task Deleting_a_protected_backup_is_refused_with_pves_message()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var backups = new BackupsPageObject(Page, Circuit);
            await backups.GotoAsync("?storage=backup-nas", UiTimeout);
            var row = backups.ProtectedRows.First;
            await Expect(row).ToBeVisibleAsync();
            var volid = (await row.GetAttributeAsync("data-volid"))!;

            await row.GetByTestId("backup-delete").ClickAsync();

            var file = volid[(volid.IndexOf(':') + 1)..];
            await Expect(backups.ActionError).ToContainTextAsync($"cannot remove protected volume '{file}' on 'backup-nas'");
            await Expect(backups.Row(volid)).ToBeVisibleAsync();
            await Expect(backups.Row(volid).GetByTestId("backup-protected")).ToBeVisibleAsync();
            var audit = await Host.AuditEntriesAsync(q => q.Where(e => e.Operation == "BACKUP_DELETE" && e.ResourceId == volid), TestContext.Current.CancellationToken);
            Assert.Contains(audit, e => !e.Success && e.Error!.Contains("protected", StringComparison.Ordinal));
        });
    }
}
