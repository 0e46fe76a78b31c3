using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>VM detail (issue 4): web-server-01's header, a chart drawn from rrddata, hardware parsed from its config, and
/// its tasks with a log.</summary>
[Collection(JourneyCollection.Name)]
public sealed class VmDetailJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Vm_detail_shows_web_server_01_with_chart_hardware_and_tasks()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var detail = new VmDetailPageObject(Page, Circuit);
            await detail.GotoAsync(101, UiTimeout);

            await Expect(detail.Name).ToHaveTextAsync("web-server-01");
            await Expect(detail.Status).ToHaveTextAsync("running");
            await Expect(Page.GetByTestId("vm-node")).ToHaveTextAsync("proxmox-01");
            await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Shutdown web-server-01", Exact = true })).ToBeEnabledAsync();

            // Hardware: fields parsed from scsi0 / net0 of its config.
            await detail.Tab("Hardware").ClickAsync();
            await Expect(detail.DiskRow("scsi0").GetByTestId("disk-storage")).ToHaveTextAsync("local-zfs");
            await Expect(detail.DiskRow("scsi0").GetByTestId("disk-size")).ToHaveTextAsync("50G");
            await Expect(detail.NicRow("net0").GetByTestId("nic-bridge")).ToHaveTextAsync("vmbr0");
            await Expect(detail.NicRow("net0").GetByTestId("nic-model")).ToHaveTextAsync("virtio");
            await Expect(detail.NicRow("net0").GetByTestId("nic-mac")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^([0-9A-F]{2}:){5}[0-9A-F]{2}$"));

            // Tasks: this VM's tasks, each with its log.
            await detail.Tab("Tasks").ClickAsync();
            await Expect(detail.TaskRows.First).ToBeVisibleAsync();
            var upid = await detail.TaskRows.First.GetAttributeAsync("data-upid");
            Assert.Matches(":101:", upid);
            await detail.TaskRows.First.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Show log of") }).ClickAsync();
            await Expect(Page.GetByTestId("task-log").Locator("pre")).ToBeVisibleAsync();

            // A chart drawn from rrddata (Radzen renders an SVG with a path per series), without an error about the history.
            await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Alert).Filter(new() { HasText = "Could not read the VM's history" })).ToHaveCountAsync(0);
            await Expect(detail.Chart("chart-cpu").Locator("svg path").First).ToBeAttachedAsync();
            Assert.True(int.Parse(await detail.Chart("chart-cpu").GetAttributeAsync("data-points") ?? "0") > 10, "the CPU chart has an hour of samples");
        });
    }
}
