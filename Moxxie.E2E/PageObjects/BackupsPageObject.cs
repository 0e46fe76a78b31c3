using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/backups: filters, the backup table (rows data-volid/data-vmid/data-protected), "Backup now" dialog, details dialog,
/// retention panels; the same table appears in the VM detail's Backups tab.</summary>
public sealed class BackupsPageObject(IPage page, BlazorCircuit circuit)
{
    public ILocator Browser => page.GetByTestId("backup-browser");
    public ILocator Rows => page.GetByTestId("backup-row");
    public ILocator Row(string volid) => page.Locator($"[data-testid=backup-row][data-volid=\"{volid}\"]");
    public ILocator RowsOf(int vmid) => page.Locator($"[data-testid=backup-row][data-vmid=\"{vmid}\"]");
    public ILocator ProtectedRows => page.Locator("[data-testid=backup-row][data-protected=true]");
    public ILocator VmFilter => page.GetByTestId("backups-vm");
    public ILocator BackupNowButton => page.GetByTestId("backup-now");
    public ILocator NowDialog => page.GetByTestId("backup-now-dialog");
    public ILocator NowVm => page.GetByTestId("backup-now-vm");
    public ILocator NowStorage => page.GetByTestId("backup-now-storage");
    public ILocator NowMode => page.GetByTestId("backup-now-mode");
    public ILocator NowNotes => page.GetByTestId("backup-now-notes");
    public ILocator NowStart => page.GetByTestId("backup-now-start");
    public ILocator Progress(int vmid) => page.Locator($"[data-testid=backup-progress][data-vmid=\"{vmid}\"]");
    public ILocator DetailsDialog => page.GetByTestId("backup-details-dialog");
    public ILocator ConfigRow(string key) => DetailsDialog.Locator($"[data-testid=backup-config-row][data-key=\"{key}\"]");
    public ILocator ActionError => page.GetByTestId("backup-action-error");
    public ILocator RetentionPanel(string storage) => page.Locator($"[data-testid=retention-panel][data-storage=\"{storage}\"]");

    public async Task GotoAsync(string query, TimeSpan timeout)
    {
        await page.GotoAsync("/backups" + query);
        await Assertions.Expect(Rows.First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
