using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/backups/restore: the step buttons, the current step (data-step), the fields of each step and the progress panel.</summary>
public sealed class RestoreWizardPageObject(IPage page)
{
    public ILocator Step => page.GetByTestId("restore-step");
    public ILocator Next => page.GetByTestId("restore-next");
    public ILocator Submit => page.GetByTestId("restore-submit");
    public ILocator NextFreeVmId => page.GetByTestId("vmid-next");
    public ILocator Name => page.GetByTestId("restore-name");
    public ILocator Bridge(string nic) => page.GetByTestId($"bridge-{nic}");
    public ILocator Start => page.GetByTestId("restore-start");
    public ILocator UniqueMacs => page.GetByTestId("restore-unique");
    public ILocator ConfirmVmId => page.GetByTestId("confirm-vmid");
    public ILocator Progress => page.GetByTestId("restore-progress");
    public ILocator RestoredVmId => page.GetByTestId("restore-vmid");
    public ILocator VmLink => page.GetByTestId("restore-vm-link");

    public async Task NextAsync(string expectedStep)
    {
        await Next.ClickAsync();
        await Assertions.Expect(Step).ToHaveAttributeAsync("data-step", expectedStep);
    }
}
