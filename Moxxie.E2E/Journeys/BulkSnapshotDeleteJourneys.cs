using System.Text.Json;
using Microsoft.Playwright;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Deleting snapshots through the bulk wizard in Chromium against the simulator: the plan lists each snapshot with
/// delete or keep and why, the run is confirmed, and at PVE the Moxxie-made snapshot is gone while the hand-made one (safe
/// mode) stays. VM 116 (k8s-worker-05) is no other journey's.</summary>
[Collection(JourneyCollection.Name)]
public sealed class BulkSnapshotDeleteJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    private const int Vm = 116;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Delete_snapshots_plans_each_snapshot_with_its_reason_and_leaves_the_hand_made_one_in_safe_mode()
    {
        var ct = TestContext.Current.CancellationToken;
        var node = Host.Simulator.Cluster.FindGuest(Vm)!.Node;
        // Made by hand, straight at PVE: Moxxie has no record of it.
        using (var pve = Host.CreateSimulatorClient())
        using (var response = await pve.PostAsync($"nodes/{node}/qemu/{Vm}/snapshot", new FormUrlEncodedContent([new("snapname", "e2edel-hand")]), ct))
            response.EnsureSuccessStatusCode();
        await WaitUntilUnlockedAsync(ct);

        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var bulk = new BulkPagesObject(Page);

            // Made by Moxxie: a bulk snapshot through the wizard.
            await Page.GotoAsync($"/bulk/new?op=snapshot&vms={Vm}");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await bulk.SnapshotName.FillAsync("e2edel-{vmid}");
            await bulk.DryRun.UncheckAsync();
            await bulk.Continue.ClickAsync();
            await Expect(bulk.Run).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await Expect(bulk.Count("succeeded")).ToHaveTextAsync("1");

            await Page.GotoAsync($"/bulk/new?op=snapshot-delete&vms={Vm}");
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Options");
            await Expect(Page.GetByTestId("bulk-snapdel-safe")).ToBeCheckedAsync();
            await Page.GetByTestId("bulk-snapdel-pattern").FillAsync("e2edel-*");
            await Expect(bulk.DryRun).ToBeCheckedAsync();
            await bulk.Continue.ClickAsync();

            await Expect(bulk.Step).ToHaveAttributeAsync("data-step", "Plan");
            await Expect(bulk.PlanRow(Vm)).ToHaveAttributeAsync("data-ok", "true");
            var mine = bulk.PlanRow(Vm).Locator($"[data-testid=plan-snapshot][data-name=\"e2edel-{Vm}\"]");
            var hand = bulk.PlanRow(Vm).Locator("[data-testid=plan-snapshot][data-name=\"e2edel-hand\"]");
            await Expect(mine).ToHaveAttributeAsync("data-action", "delete");
            await Expect(hand).ToHaveAttributeAsync("data-action", "keep");
            await Expect(hand).ToContainTextAsync("not made by Moxxie (safe mode)");
            Assert.Contains($"e2edel-{Vm}", await SnapshotNamesAsync(node, ct));   // a plan deletes nothing

            // Destructive: confirmed before it runs.
            await bulk.Execute.ClickAsync();
            await Expect(bulk.ConfirmDialog).ToBeVisibleAsync();
            await bulk.ConfirmButton.ClickAsync();
            await Expect(bulk.Run).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = (float)RunTimeout.TotalMilliseconds });
            await Expect(bulk.TaskStatus(Vm)).ToHaveTextAsync("succeeded");

            var left = await SnapshotNamesAsync(node, ct);
            Assert.DoesNotContain($"e2edel-{Vm}", left);
            Assert.Contains("e2edel-hand", left);
        });
    }

    private async Task<List<string>> SnapshotNamesAsync(string node, CancellationToken ct)
    {
        using var client = Host.CreateSimulatorClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"nodes/{node}/qemu/{Vm}/snapshot", ct));
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("name").GetString() ?? "")];
    }

    /// <summary>The hand-made snapshot's task holds the VM's lock for a moment.</summary>
    private async Task WaitUntilUnlockedAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + RunTimeout;
        while (Host.Simulator.Cluster.FindGuest(Vm)?.Lock is not null && DateTime.UtcNow < deadline) await Task.Delay(100, ct);
    }
}
