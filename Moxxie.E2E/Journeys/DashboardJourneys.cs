using System.Diagnostics;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>Dashboard (issue 4): health, gauges, status cards, alerts and activity; a node taken offline in the simulator
/// raises a critical alert and shows red; a storage set above 80 % / 90 % in the simulator raises a warning / critical alert that goes
/// away below, a shared one once for the cluster; a task that fails in PVE shows as an alert, a backup that fails (run through
/// Moxxie) as a critical backup alert naming and linking the VM; PVE down shows the stale banner on every page and a critical
/// "unreachable" alert, and recovery removes both.</summary>
[Collection(JourneyCollection.Name)]
public sealed class DashboardJourneys(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Dashboard_shows_cluster_health_gauges_status_cards_alerts_and_recent_activity()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var dashboard = new DashboardPageObject(Page, Circuit);
            await dashboard.GotoAsync(UiTimeout);

            await Expect(dashboard.ClusterHealth).ToHaveCountAsync(1);
            await Expect(dashboard.ClusterHealth.Locator("h2")).ToHaveTextAsync("production-cluster");
            await Expect(dashboard.Quorum).ToHaveTextAsync("Quorate");
            await Expect(dashboard.NodesOnline).ToContainTextAsync("3 / 3 nodes online");
            await Expect(dashboard.Gauges).ToHaveCountAsync(3);
            foreach (var title in new[] { "CPU", "Memory", "Storage" })
                await Expect(dashboard.Gauges.Filter(new() { HasText = title })).ToHaveCountAsync(1);

            // The cards follow the simulator (other journeys start and stop guests): compare both, read afresh, until they agree.
            var counts = await Eventually.GetAsync(async () =>
            {
                var guests = Host.Simulator.Cluster.Guests;
                var expected = (Running: guests.Count(g => g.Status == "running" && g.QmpStatus != "paused" && !g.Template), Templates: guests.Count(g => g.Template));
                var shown = (Running: int.Parse(await dashboard.Stat("running").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture),
                    Templates: int.Parse(await dashboard.Stat("templates").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture));
                return shown == expected ? $"{shown.Running} running, {shown.Templates} templates" : null;
            }, UiTimeout, "the status cards to match the simulator's guests");
            Assert.Contains("running", counts);
            foreach (var node in new[] { "proxmox-01", "proxmox-02", "proxmox-03" })
                await Expect(dashboard.Node(node)).ToHaveAttributeAsync("data-status", "online");
            await Expect(dashboard.NodeChart).ToHaveAttributeAsync("data-nodes", "3");
            await Expect(dashboard.NodeChart.GetByTestId("node-bar")).ToHaveCountAsync(3);
            await Expect(dashboard.NodeChart.Locator("[data-node=proxmox-01] .mx-node-bars__bar--mem")).ToHaveAttributeAsync("style", new System.Text.RegularExpressions.Regex(@"width: \d+(\.\d)?%"));
            await Expect(dashboard.Gauges.First.Locator("svg path.mx-gauge__fill")).ToHaveAttributeAsync("stroke-dasharray", new System.Text.RegularExpressions.Regex(@"^\d+ 100$"));
            await Expect(dashboard.AlertsPanel).ToBeVisibleAsync();
            await Expect(dashboard.Activity).ToBeVisibleAsync();
            await Expect(dashboard.Activity.Locator("h2")).ToHaveTextAsync("Recent activity");
            await Expect(dashboard.QuickActions.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "All virtual machines" })).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task A_node_taken_offline_raises_an_alert_and_shows_red_until_it_is_back()
    {
        await RunAsync(async () =>
        {
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var dashboard = new DashboardPageObject(Page, Circuit);
            await dashboard.GotoAsync(UiTimeout);
            await Expect(dashboard.Node("proxmox-03")).ToHaveAttributeAsync("data-status", "online");
            await Expect(dashboard.Alert("NodeOffline", "proxmox-03")).ToHaveCountAsync(0);

            using var sim = new SimulatorControlClient(Host.Simulator);
            try
            {
                await sim.NodeOfflineAsync("proxmox-03", TestContext.Current.CancellationToken);

                await Expect(dashboard.Alert("NodeOffline", "proxmox-03")).ToBeVisibleAsync();
                await Expect(dashboard.Alert("NodeOffline", "proxmox-03")).ToContainTextAsync("Node proxmox-03 offline");
                await Expect(dashboard.Alert("NodeOffline", "proxmox-03")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmx-alert--critical\b"));
                await Expect(dashboard.Node("proxmox-03")).ToHaveAttributeAsync("data-status", "offline");
                await Expect(dashboard.Node("proxmox-03")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mx-node--offline"));
                var color = await CssColor.ComputedAsync(dashboard.Node("proxmox-03").GetByTestId("node-dot"), "background-color");
                Assert.True(CssColor.IsRed(color), $"the offline node's dot should be red, was {color}");
                await Expect(dashboard.NodesOnline).ToContainTextAsync("2 / 3 nodes online");
            }
            finally
            {
                await sim.NodeOnlineAsync("proxmox-03", CancellationToken.None);   // the journeys after this one need the node
            }
            await Expect(dashboard.Node("proxmox-03")).ToHaveAttributeAsync("data-status", "online");
            await Expect(dashboard.Alert("NodeOffline", "proxmox-03")).ToHaveCountAsync(0);
        });
    }

    [Fact]
    public async Task Storage_above_80_then_90_percent_raises_a_warning_then_a_critical_alert_that_goes_away_below()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var dashboard = new DashboardPageObject(Page, Circuit);
            await dashboard.GotoAsync(UiTimeout);
            var alert = dashboard.Alert("StorageFull", "local-zfs");
            await Expect(alert).ToHaveCountAsync(0);

            using var sim = new SimulatorControlClient(Host.Simulator);
            try
            {
                // The simulator reports it as PVE would (storage status, node storage list, cluster/resources disk/maxdisk).
                await sim.SetStorageUsageAsync("proxmox-02", "local-zfs", 0.855, ct);
                await Expect(alert).ToHaveCountAsync(1);
                await Expect(alert).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmx-alert--warning\b"));
                await Expect(alert.Locator(".mx-alert__title")).ToContainTextAsync("Storage local-zfs on proxmox-02");
                await Expect(alert.Locator(".mx-alert__title")).ToContainTextAsync("Warning:");
                await Expect(alert.Locator(".mx-alert__message")).ToHaveTextAsync("85 % used");

                await sim.SetStorageUsageAsync("proxmox-02", "local-zfs", 0.955, ct);
                await Expect(alert).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmx-alert--critical\b"));
                await Expect(alert.Locator(".mx-alert__title")).ToContainTextAsync("Critical:");
                await Expect(alert.Locator(".mx-alert__message")).ToHaveTextAsync("95 % used");
                await Expect(alert).ToHaveCountAsync(1);   // one alert per storage, not one per level

                await sim.SetStorageUsageAsync("proxmox-02", "local-zfs", 0.40, ct);
                await Expect(alert).ToHaveCountAsync(0);
            }
            finally
            {
                await sim.SetStorageUsageAsync("proxmox-02", "local-zfs", null, CancellationToken.None);   // content-driven again for later journeys
            }
        });
    }

    [Fact]
    public async Task A_task_that_fails_in_Proxmox_shows_as_an_alert()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var dashboard = new DashboardPageObject(Page, Circuit);
            await dashboard.GotoAsync(UiTimeout);

            // A stopped VM whose start fails in PVE (started there, not through Moxxie): the failure changes nothing.
            var guest = Host.Simulator.Cluster.Guests.First(g => g is { Type: "qemu", Status: "stopped", Template: false, Lock: null });
            var alert = dashboard.Alert("TaskFailed", $"qmstart {guest.Vmid}");
            await Expect(alert).ToHaveCountAsync(0);
            using var sim = new SimulatorControlClient(Host.Simulator);
            await sim.FailNextTaskAsync(guest.Vmid, "start failed: QEMU exited with code 1", ct);
            using var pve = Host.CreateSimulatorClient();
            using (var started = await pve.PostAsync($"nodes/{guest.Node}/qemu/{guest.Vmid}/status/start", new FormUrlEncodedContent([]), ct))
                Assert.True(started.IsSuccessStatusCode, $"start: {(int)started.StatusCode}");

            await Expect(alert).ToHaveCountAsync(1);
            await Expect(alert).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmx-alert--warning\b"));
            await Expect(alert.Locator(".mx-alert__title")).ToContainTextAsync($"Task failed: qmstart {guest.Vmid} on {guest.Node}");
            await Expect(alert.Locator(".mx-alert__message")).ToHaveTextAsync("start failed: QEMU exited with code 1");
        });
    }

    [Fact]
    public async Task A_backup_that_fails_in_Proxmox_shows_as_a_critical_backup_alert_naming_and_linking_the_vm()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);

            // A running VM (not the one BackupJourneys backs up) whose next task fails in PVE; backed up through Moxxie's VM page.
            var guest = Host.Simulator.Cluster.Guests.Where(g => g is { Type: "qemu", Status: "running", Template: false, Lock: null } && g.Vmid != 104)
                .OrderBy(g => g.Vmid).First();
            const string Failure = "job failed with err -5 - Input/output error";
            var dashboard = new DashboardPageObject(Page, Circuit);
            var alert = dashboard.Alert("BackupFailed", $"vzdump {guest.Vmid}");
            await dashboard.GotoAsync(UiTimeout);
            await Expect(alert).ToHaveCountAsync(0);
            using var sim = new SimulatorControlClient(Host.Simulator);
            await sim.FailNextTaskAsync(guest.Vmid, Failure, ct);

            var detail = new VmDetailPageObject(Page, Circuit);
            var backups = new BackupsPageObject(Page, Circuit);
            await detail.GotoAsync(guest.Vmid, UiTimeout);
            await detail.Tab("Backups").ClickAsync();
            await backups.BackupNowButton.ClickAsync();
            await Expect(backups.NowDialog).ToBeVisibleAsync();
            await Expect(backups.NowStorage).ToHaveValueAsync("backup-nas");
            await backups.NowStart.ClickAsync();
            await Expect(backups.NowDialog).ToBeHiddenAsync();

            // The vzdump task ends as PVE's does ("job errors"); the dashboard raises a critical backup alert for it, not a task alert.
            await dashboard.GotoAsync(UiTimeout);
            await Expect(alert).ToHaveCountAsync(1, new() { Timeout = (float)TimeSpan.FromSeconds(90).TotalMilliseconds });
            await Expect(alert).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmx-alert--critical\b"));
            await Expect(alert.Locator(".mx-alert__title")).ToContainTextAsync("Critical:");
            var link = alert.Locator(".mx-alert__title a");
            await Expect(link).ToHaveTextAsync($"Backup failed: VM {guest.Vmid} ({guest.Name}) on {guest.Node}");
            await Expect(link).ToHaveAttributeAsync("href", $"vms/{guest.Vmid}?connection=production-cluster");
            await Expect(alert.Locator(".mx-alert__message")).ToHaveTextAsync("job errors");
            await Expect(alert).ToHaveAttributeAsync("data-upid", new System.Text.RegularExpressions.Regex($@"^UPID:{guest.Node}:[0-9A-F]{{8}}:[0-9A-F]{{8,9}}:[0-9A-F]{{8}}:vzdump:{guest.Vmid}:"));
            await Expect(dashboard.Alert("TaskFailed", $"vzdump {guest.Vmid}")).ToHaveCountAsync(0);
            var upid = (await alert.GetAttributeAsync("data-upid"))!;

            // The link leads to the VM, whose Tasks tab has the failed vzdump with PVE's log.
            await link.ClickAsync();
            await Expect(detail.Name).ToHaveTextAsync(guest.Name);
            await Circuit.WaitUntilInteractiveAsync(UiTimeout);
            await detail.Tab("Tasks").ClickAsync();
            var row = Page.Locator($"[data-testid=vm-tasks] [data-testid=task-row][data-upid=\"{upid}\"]");
            await Expect(row).ToHaveAttributeAsync("data-state", "error");
            await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Show log of") }).ClickAsync();
            await Expect(row.GetByTestId("task-log")).ToContainTextAsync($"ERROR: Backup of VM {guest.Vmid} failed - {Failure}");
            await Expect(row.GetByTestId("task-log")).ToContainTextAsync("TASK ERROR: job errors");
        });
    }

    [Fact]
    public async Task A_shared_storage_above_90_percent_raises_one_critical_alert_for_the_cluster_that_goes_away_below()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var dashboard = new DashboardPageObject(Page, Circuit);
            await dashboard.GotoAsync(UiTimeout);
            // backup-nas: the demo cluster's NFS storage, reported by each of the 3 nodes
            var alert = dashboard.Alert("StorageFull", "backup-nas");
            await Expect(alert).ToHaveCountAsync(0);

            using var sim = new SimulatorControlClient(Host.Simulator);
            using var pve = Host.CreateSimulatorClient();
            try
            {
                await sim.SetStorageUsageAsync("proxmox-01", "backup-nas", 0.935, ct);
                // one volume: cluster/resources has it once per node, each with the same figure, as PVE reports a shared storage
                using (var doc = System.Text.Json.JsonDocument.Parse(await pve.GetStringAsync("cluster/resources?type=storage", ct)))
                {
                    var nas = doc.RootElement.GetProperty("data").EnumerateArray().Where(r => r.GetProperty("storage").GetString() == "backup-nas").ToList();
                    Assert.Equal(["proxmox-01", "proxmox-02", "proxmox-03"], nas.Select(r => r.GetProperty("node").GetString()).Order());
                    Assert.All(nas, r => Assert.Equal(1, r.GetProperty("shared").GetInt32()));
                    Assert.All(nas, r => Assert.Equal(0.935, r.GetProperty("disk").GetDouble() / r.GetProperty("maxdisk").GetDouble(), 3));
                }

                await Expect(alert).ToHaveCountAsync(1);   // once for the cluster, not once per node
                await Expect(alert).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmx-alert--critical\b"));
                await Expect(alert.Locator(".mx-alert__title a")).ToHaveTextAsync("Storage backup-nas");   // no node: it is everyone's
                await Expect(alert.Locator(".mx-alert__message")).ToHaveTextAsync("93 % used");
                await Expect(dashboard.AlertsPanel.Locator("[data-testid=alert][data-kind=StorageFull]").Filter(new() { HasText = "backup-nas" })).ToHaveCountAsync(1);

                // fixed from another node: the same volume, so the alert goes for the whole cluster
                await sim.SetStorageUsageAsync("proxmox-03", "backup-nas", 0.50, ct);
                await Expect(alert).ToHaveCountAsync(0);
            }
            finally
            {
                await sim.SetStorageUsageAsync("proxmox-01", "backup-nas", null, CancellationToken.None);   // content-driven again for later journeys
            }
        });
    }

    [Fact]
    public async Task Pve_down_shows_the_stale_banner_on_every_page_and_it_goes_away_on_recovery()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            await new LoginPage(Page).SignInAsync(MoxxieE2EHost.AdminUserName, MoxxieE2EHost.AdminPassword);
            var dashboard = new DashboardPageObject(Page, Circuit);
            await dashboard.GotoAsync(UiTimeout);
            await Expect(dashboard.StaleBanner).ToHaveCountAsync(0);

            using var sim = new SimulatorControlClient(Host.Simulator);
            try
            {
                var clock = Stopwatch.StartNew();
                await sim.ApiDownAsync(ct);

                await Expect(dashboard.StaleBanner).ToBeVisibleAsync(new() { Timeout = 15_000 });
                TestContext.Current.TestOutputHelper?.WriteLine($"[figure] stale banner shown {clock.ElapsedMilliseconds} ms after the simulator's API went down (StaleAfter 5 s, poll 2 s)");
                await Expect(dashboard.StaleBanner).ToContainTextAsync("production-cluster cannot be reached.");
                await Expect(dashboard.StaleBanner.GetByTestId("stale-last-good")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d:\d\d UTC$"));
                var unreachable = dashboard.Alert("ConnectionUnreachable", "production-cluster");
                await Expect(unreachable).ToBeVisibleAsync();
                await Expect(unreachable).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmx-alert--critical\b"));
                await Expect(unreachable.Locator(".mx-alert__title")).ToContainTextAsync("Connection production-cluster unreachable");
                await Expect(unreachable.Locator(".mx-alert__message")).Not.ToBeEmptyAsync();   // what the client got (PVE's or the socket's error)

                // Every page: the VM list shows it too (its last known rows stay listed).
                var vms = new VmListPage(Page, Circuit);
                await Page.GotoAsync("/vms");
                await Expect(vms.Rows.First).ToBeVisibleAsync();
                await Expect(dashboard.StaleBanner).ToBeVisibleAsync();
                await Circuit.WaitUntilInteractiveAsync(UiTimeout);

                clock.Restart();
                await sim.ApiUpAsync(ct);
                await Expect(dashboard.StaleBanner).ToHaveCountAsync(0, new() { Timeout = 20_000 });
                TestContext.Current.TestOutputHelper?.WriteLine($"[figure] stale banner gone {clock.ElapsedMilliseconds} ms after the API came back");
                await dashboard.GotoAsync(UiTimeout);
                await Expect(dashboard.Alert("ConnectionUnreachable", "production-cluster")).ToHaveCountAsync(0);
            }
            finally
            {
                await sim.ApiUpAsync(CancellationToken.None);
            }
        });
    }
}
