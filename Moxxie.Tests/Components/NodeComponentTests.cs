using System.Text.RegularExpressions;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Web.Components.Pages.Nodes;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>Nodes pieces with logic: card attributes and offline state, service actions per role and state, and the
/// reboot/shutdown dialog whose Confirm starts disabled.</summary>
public sealed class NodeComponentTests
{
    private static readonly NodeCard Online = new("production-cluster", "proxmox-01", true, "192.168.1.10", 0.12, 32, 25769803776, 137438953472,
        64424509440, 107374182400, 8640000);

    private static readonly NodeCard Offline = new("production-cluster", "proxmox-03", false, "192.168.1.12", 0, 24, 0, 137438953472, 0, 107374182400, 0);

    private static readonly NodeService[] Services =
    [
        new("pveproxy", "pveproxy", "PVE API Proxy Server", "running", "active", "enabled"),
        new("spiceproxy", "spiceproxy", "PVE SPICE Proxy Server", "stopped", "inactive", "enabled"),
    ];

    [Fact]
    public async Task Card_CarriesNodeAndStatus_WithUsageUptimeAndVersion()
    {
        var html = await ComponentHtml.RenderAsync<NodeCardView>(new Dictionary<string, object?>
        {
            [nameof(NodeCardView.Node)] = Online,
            [nameof(NodeCardView.Version)] = "pve-manager/8.0.3/bbf3993334bfa916",
        });

        Assert.Matches(new Regex("<article[^>]*data-testid=\"node-card\"[^>]*data-node=\"proxmox-01\"[^>]*data-status=\"online\""), html);
        Assert.Contains("href=\"nodes/proxmox-01\"", html);
        Assert.Contains("12 % of 32", html);
        Assert.Contains("24.0 / 128 GB", html);
        Assert.Contains("data-testid=\"node-uptime\">100d 0h<", html);
        Assert.Contains("pve-manager/8.0.3/bbf3993334bfa916", html);
    }

    [Fact]
    public async Task OfflineCard_SaysOffline_WithoutUsageBars()
    {
        var html = await ComponentHtml.RenderAsync<NodeCardView>(new Dictionary<string, object?> { [nameof(NodeCardView.Node)] = Offline });

        Assert.Matches(new Regex("<article[^>]*data-node=\"proxmox-03\"[^>]*data-status=\"offline\""), html);
        Assert.Contains("data-testid=\"node-status\">offline<", html);
        Assert.DoesNotContain("role=\"progressbar\"", html);
    }

    private static Task<string> ServicesAsync(bool canOperate) => ComponentHtml.RenderAsync<NodeServicesTable>(new Dictionary<string, object?>
    {
        [nameof(NodeServicesTable.Services)] = Services,
        [nameof(NodeServicesTable.CanOperate)] = canOperate,
    });

    [Fact]
    public async Task Services_OperatorsGetTheActionsTheStateAllows()
    {
        var html = await ServicesAsync(canOperate: true);

        Assert.Matches(new Regex("<tr[^>]*data-service=\"pveproxy\"[^>]*data-state=\"running\""), html);
        Assert.Contains("aria-label=\"Stop pveproxy\"", html);
        Assert.Contains("aria-label=\"Restart pveproxy\"", html);
        Assert.DoesNotContain("aria-label=\"Start pveproxy\"", html);
        Assert.Contains("aria-label=\"Start spiceproxy\"", html);
        Assert.DoesNotContain("aria-label=\"Stop spiceproxy\"", html);
    }

    [Fact]
    public async Task Services_ViewersSeeStatesButNoButtons()
    {
        var html = await ServicesAsync(canOperate: false);

        Assert.Contains("data-testid=\"service-state\">stopped<", html);
        Assert.DoesNotContain("<button", html);
    }

    [Fact]
    public async Task CommandDialog_ConfirmIsDisabledUntilTheNameIsTyped()
    {
        var html = await ComponentHtml.RenderAsync<NodeCommandDialog>(new Dictionary<string, object?>
        {
            [nameof(NodeCommandDialog.Node)] = "proxmox-01",
            [nameof(NodeCommandDialog.Command)] = NodeCommand.Reboot,
        });

        Assert.Contains("Reboot node proxmox-01?", html);
        Assert.Contains("<label class=\"mx-field__label\" for=\"node-confirm-name\">Node name</label>", html);
        var confirm = Regex.Match(html, "<button[^>]*>(?:(?!</button>).)*Confirm", RegexOptions.Singleline);
        Assert.True(confirm.Success);
        Assert.Contains("disabled", Regex.Match(confirm.Value, "<button[^>]*>").Value);
    }
}
