using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>(e) Stop is destructive: it asks first, and Cancel really cancels.</summary>
[Collection(JourneyCollection.Name)]
public sealed class CancelStopJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Cancelling_the_stop_confirmation_leaves_the_vm_running_and_starts_no_task()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);
            await Expect(vms.Status(101)).ToHaveTextAsync("running");
            var tasksBefore = await Host.SimulatorTasksForAsync(101, ct);

            await vms.OpenConfirmationAsync("Stop", "web-server-01");
            await Expect(vms.ConfirmButton).ToBeVisibleAsync();
            await vms.CancelButton.ClickAsync();
            await Expect(vms.ConfirmationDialog).ToBeHiddenAsync();

            // Nothing may follow the cancel: watch the simulator for a while (a negative can only be observed over time).
            await Eventually.StaysTrueAsync(
                async () => (await Host.SimulatorTasksForAsync(101, ct)).Count == tasksBefore.Count
                            && Host.Simulator.Cluster.FindGuest(101)?.Status == "running",
                TimeSpan.FromSeconds(1.5), "no PVE task for 101 and 101 still running after Cancel");
            await Expect(vms.Status(101)).ToHaveTextAsync("running");
            await Expect(vms.Tasks.RowsFor("qmstop", 101)).ToHaveCountAsync(0);
            Assert.Empty(await Host.AuditEntriesAsync(q => q.Where(e => e.Operation == "VM_STOP" && e.ResourceId == "101"), ct));
        });
    }
}
