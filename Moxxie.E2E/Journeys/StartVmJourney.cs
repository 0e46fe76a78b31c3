using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>(a) Admin signs in, sees the guide's VMs, starts database-01 and watches it turn running live.</summary>
[Collection(JourneyCollection.Name)]
public sealed class StartVmJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Admin_starts_a_stopped_vm_and_sees_it_running_without_reload()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);

            foreach (var name in new[] { "web-server-01", "database-01", "web-server-02", "app-server-01" })
                await Expect(vms.RowNamed(name)).ToBeVisibleAsync();
            await Expect(vms.Status(102)).ToHaveTextAsync("stopped");

            var navigations = 0;
            Page.FrameNavigated += (_, frame) => { if (frame == Page.MainFrame) navigations++; };

            await vms.ActionButton("Start", "database-01").ClickAsync();

            var taskRow = vms.Tasks.RowsFor("qmstart", 102);
            await Expect(taskRow).ToHaveCountAsync(1);
            await Expect(vms.Status(102)).ToHaveTextAsync("running", new() { Timeout = 10_000 });
            Assert.Equal(0, navigations);
            Assert.Equal("running", Host.Simulator.Cluster.FindGuest(102)?.Status);

            var upid = await taskRow.GetAttributeAsync("data-upid");
            Assert.Matches(new Regex("^UPID:proxmox-01:.+:qmstart:102:"), upid);

            var audit = await Eventually.GetAsync(
                async () => (await Host.AuditEntriesAsync(q => q.Where(e => e.Operation == "VM_START" && e.ResourceId == "102"), ct))
                    .SingleOrDefault(),
                UiTimeout, "an audit row VM_START for VM 102");
            Assert.True(audit.Success, $"audit row says the start failed: {audit.Error}");
            Assert.Equal(upid, audit.Upid);
            Assert.Equal(MoxxieE2EHost.AdminUserName, audit.User);
        });
    }
}
