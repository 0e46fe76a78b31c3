using System.Text.RegularExpressions;
using Moxxie.Core.Inventory;
using Moxxie.Web.Components.Pages.Dashboard;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class DashboardComponentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AlertsPanel_ShowsEachAlertWithSeverityKindSubjectMessageAndLink()
    {
        IReadOnlyList<InventoryAlert> alerts =
        [
            new(AlertSeverity.Critical, AlertKind.NodeOffline, "prod", "proxmox-02", "proxmox-02", "offline", Now.AddMinutes(-1)),
            new(AlertSeverity.Critical, AlertKind.StorageFull, "prod", null, "ceph-pool", "93 % used", Now),
            new(AlertSeverity.Warning, AlertKind.StorageFull, "prod", "proxmox-01", "local-lvm", "84 % used", Now),
            new(AlertSeverity.Critical, AlertKind.BackupFailed, "prod", "proxmox-01", "vzdump 101", "job errors", Now.AddHours(-3)),
            new(AlertSeverity.Critical, AlertKind.ConnectionUnreachable, "lab", null, "lab", "Connection refused", Now),
            new(AlertSeverity.Critical, AlertKind.BackupFailed, "prod", "proxmox-02", "vzdump 105", "job errors", Now, 105, "db-01",
                "UPID:proxmox-02:00001234:00ABCDEF:674412C0:vzdump:105:root@pam:"),
        ];
        var html = await ComponentHtml.RenderAsync<AlertsPanel>(new Dictionary<string, object?>
        {
            [nameof(AlertsPanel.Alerts)] = alerts,
            [nameof(AlertsPanel.Now)] = Now,
        });

        Assert.Contains("data-testid=\"alerts-panel\" data-count=\"6\"", html);
        Assert.Contains("<span class=\"mx-badge mx-badge--danger\">6 alerts</span>", html);
        Assert.Matches(new Regex("<li class=\"mx-alert mx-alert--critical\" data-testid=\"alert\" data-kind=\"NodeOffline\" data-subject=\"proxmox-02\">"), html);
        Assert.Contains("<a href=\"nodes/proxmox-02\">Node proxmox-02 offline</a>", html);
        Assert.Contains(">Storage ceph-pool</a>", html);
        Assert.Matches(new Regex("<li class=\"mx-alert mx-alert--warning\"[^>]*data-subject=\"local-lvm\">"), html);
        Assert.Contains("Storage local-lvm on proxmox-01", html);
        Assert.Contains("84 % used", html);
        Assert.Contains("<a href=\"tasks\">Backup failed: vzdump 101 on proxmox-01</a>", html);   // a job of several guests: no VM to name
        // a backup of one VM names it and links to it (its Tasks tab has the log); the failed task's UPID is on the item
        Assert.Contains("<a href=\"vms/105?connection=prod\">Backup failed: VM 105 (db-01) on proxmox-02</a>", html);
        Assert.Matches(new Regex("data-kind=\"BackupFailed\" data-subject=\"vzdump 105\" data-upid=\"UPID:proxmox-02:00001234:00ABCDEF:674412C0:vzdump:105:root@pam:\">"), html);
        Assert.Contains("Connection lab unreachable", html);
        Assert.Contains("Connection refused", html);
        Assert.Contains(">11:59:00</time>", html);
    }

    [Fact]
    public async Task AlertsPanel_SaysAllIsWellWhenThereIsNothing()
    {
        var html = await ComponentHtml.RenderAsync<AlertsPanel>(new Dictionary<string, object?>
        {
            [nameof(AlertsPanel.Alerts)] = Array.Empty<InventoryAlert>(),
            [nameof(AlertsPanel.Now)] = Now,
        });

        Assert.Contains("No alerts", html);
        Assert.DoesNotContain("data-testid=\"alert\"", html);
    }
}
