using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/storage (cards), /storage/{storage} (content tabs, upload, enable/disable) and /network (interfaces, topology, SDN).</summary>
public sealed class InfraPagesObject(IPage page, BlazorCircuit circuit)
{
    public ILocator StorageCard(string storage) => page.Locator($"article.mx-storage-card[data-storage=\"{storage}\"]");
    public ILocator StorageCardLink(string storage) => StorageCard(storage).GetByRole(AriaRole.Link, new() { Name = storage, Exact = true });
    public ILocator ContentTab(string label) => page.GetByRole(AriaRole.Tab, new() { Name = label });
    public ILocator ContentRows => page.GetByTestId("content-row");
    public ILocator ContentRow(string volid) => page.Locator($"[data-testid=content-row][data-volid=\"{volid}\"]");
    public ILocator UploadPanel => page.GetByTestId("storage-upload");
    public ILocator UploadFile => page.GetByTestId("upload-file");
    public ILocator UploadButton => page.GetByTestId("upload-start");
    public ILocator UploadProgress => page.GetByTestId("upload-progress");
    public ILocator UploadPercent => page.GetByTestId("upload-percent");
    public ILocator ToggleButton => page.GetByTestId("storage-toggle");
    public ILocator StorageState => page.GetByTestId("storage-state");
    public ILocator Dialog => page.GetByRole(AriaRole.Alertdialog).Or(page.GetByRole(AriaRole.Dialog));
    public ILocator ConfirmButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true });

    public ILocator InterfaceRow(string iface) => page.Locator($"[data-testid=iface-row][data-iface=\"{iface}\"]");
    public ILocator NetworkTab(string label) => page.GetByRole(AriaRole.Tab, new() { Name = label });
    public ILocator TopologyNode(string id) => page.Locator($"[data-testid=topology-node][data-id=\"{id}\"]");
    public ILocator TopologyLinksFrom(string id) => page.Locator($"[data-testid=topology] path[data-from=\"{id}\"]");
    public ILocator VnetRow(string vnet) => page.Locator($"[data-testid=sdn-vnet-row][data-vnet=\"{vnet}\"]");

    public async Task GotoStorageListAsync(TimeSpan timeout)
    {
        await page.GotoAsync("/storage");
        await Assertions.Expect(page.Locator("article.mx-storage-card").First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }

    public async Task GotoStorageAsync(string storage, TimeSpan timeout)
    {
        await page.GotoAsync($"/storage/{storage}");
        await WaitForContentAsync(timeout);
    }

    public async Task WaitForContentAsync(TimeSpan timeout)
    {
        await Assertions.Expect(page.GetByTestId("storage-content")).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }

    public async Task GotoNetworkAsync(string node, TimeSpan timeout)
    {
        await page.GotoAsync($"/network?node={node}");
        await Assertions.Expect(page.GetByTestId("iface-row").First).ToBeVisibleAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await circuit.WaitUntilInteractiveAsync(timeout);
    }
}
