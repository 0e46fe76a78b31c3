using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>
/// Issue 3 "done when": a VM locked the way PVE locks it (a vzdump backup running, started through the simulator's PVE
/// API as any other client would) refuses a stop from the UI, the UI shows PVE's own message, and the VM keeps running.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class LockedVmStopJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    private const int Vmid = 107;
    private const string VmName = "mail-gateway-01";
    private const string Node = "proxmox-01";

    [Fact]
    public async Task Stopping_a_vm_under_backup_shows_pves_lock_message_and_the_vm_keeps_running()
    {
        var ct = TestContext.Current.CancellationToken;
        using var pve = Host.CreateSimulatorClient();
        string? backupUpid = null;
        try
        {
            await RunAsync(async () =>
            {
                await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
                var vms = new VmListPage(Page, Circuit);
                await vms.GotoAsync(UiTimeout);
                await Expect(vms.Status(Vmid)).ToHaveTextAsync("running");

                // The confirmation is open before the backup starts, so the lock is certainly held when Confirm is clicked.
                await vms.OpenConfirmationAsync("Stop", VmName);
                backupUpid = await StartBackupAsync(pve, ct);
                Assert.Equal("backup", await LockAsync(pve, ct));
                await vms.ConfirmButton.ClickAsync();
                await Expect(vms.ConfirmationDialog).ToBeHiddenAsync();

                var stop = vms.Tasks.RowsFor("qmstop", Vmid);
                await Expect(stop).ToHaveCountAsync(1);
                await Expect(stop).ToHaveAttributeAsync("data-state", "error");
                await Expect(stop.GetByTestId("task-status")).ToContainTextAsync($"VM is locked (backup)");
                await Expect(vms.Status(Vmid)).ToHaveTextAsync("running");
                Assert.Equal("running", await StatusAsync(pve, ct));
            });
        }
        finally
        {
            if (backupUpid is not null) await StopBackupAsync(pve, backupUpid);
        }
    }

    /// <summary>POST /nodes/{node}/vzdump for the VM: PVE locks it ("backup") before answering with the task's UPID.</summary>
    private static async Task<string> StartBackupAsync(HttpClient pve, CancellationToken ct)
    {
        using var response = await pve.PostAsync($"nodes/{Node}/vzdump", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["vmid"] = Vmid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["storage"] = "backup-nas", ["mode"] = "snapshot", ["compress"] = "zstd",
        }), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"vzdump: {(int)response.StatusCode} {response.ReasonPhrase} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").GetString()!;
    }

    private static async Task<string?> LockAsync(HttpClient pve, CancellationToken ct)
    {
        var config = await pve.GetFromJsonAsync<JsonElement>($"nodes/{Node}/qemu/{Vmid}/config", ct);
        return config.GetProperty("data").TryGetProperty("lock", out var l) ? l.GetString() : null;
    }

    private static async Task<string?> StatusAsync(HttpClient pve, CancellationToken ct)
    {
        var status = await pve.GetFromJsonAsync<JsonElement>($"nodes/{Node}/qemu/{Vmid}/status/current", ct);
        return status.GetProperty("data").GetProperty("status").GetString();
    }

    /// <summary>Stops the backup (DELETE the task, as the PVE GUI's Stop does) and waits for the lock to go, so the journeys
    /// after this one find the VM as they expect.</summary>
    private static async Task StopBackupAsync(HttpClient pve, string upid)
    {
        using (await pve.DeleteAsync($"nodes/{Node}/tasks/{Uri.EscapeDataString(upid)}", CancellationToken.None)) { }
        await Eventually.GetAsync(async () => await LockAsync(pve, CancellationToken.None) is null ? "unlocked" : null,
            TimeSpan.FromSeconds(10), $"VM {Vmid} unlocked after its backup task was stopped");
    }
}
