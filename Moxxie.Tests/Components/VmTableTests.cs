using System.Text.RegularExpressions;
using Moxxie.Core.Proxmox;
using Moxxie.Web.Components.Pages.Vms;
using Xunit;

namespace Moxxie.Tests.Components;

public sealed class VmTableTests
{
    private static readonly VmRow Web01 = new("production-cluster", 101, "web-server-01", "proxmox-01", GuestType.Qemu, "running", false,
        0.15234, 4, 3758096384, 4294967296, 0, 53687091200, 432000, ["env-prod", "client-acme", "web-tier"], null);

    private static readonly VmRow Db01 = new("production-cluster", 102, "database-01", "proxmox-01", GuestType.Qemu, "stopped", false,
        0, 8, 0, 17179869184, 0, 107374182400, 0, [], null);

    private static readonly VmRow Paused = new("production-cluster", 110, "batch-01", "proxmox-02", GuestType.Qemu, "paused", false,
        0, 2, 1073741824, 2147483648, 0, 10737418240, 600, [], null);

    private static readonly VmRow Template = new("production-cluster", 9000, "ubuntu-24.04-template", "proxmox-03", GuestType.Qemu, "stopped", true,
        0, 2, 0, 2147483648, 0, 10737418240, 0, [], null);

    private static Task<string> RenderAsync(bool canOperate, params VmRow[] rows) =>
        ComponentHtml.RenderAsync<VmTable>(new Dictionary<string, object?>
        {
            [nameof(VmTable.Rows)] = rows,
            [nameof(VmTable.CanOperate)] = canOperate,
        });

    [Fact]
    public async Task EveryRow_CarriesItsVmid_AndAStatusElement()
    {
        var html = await RenderAsync(true, Web01, Db01);

        Assert.Matches(new Regex("<tr[^>]*data-vmid=\"101\""), html);
        Assert.Matches(new Regex("<tr[^>]*data-vmid=\"102\""), html);
        Assert.Contains("<span data-testid=\"vm-status\">running</span>", html);
        Assert.Contains("<span data-testid=\"vm-status\">stopped</span>", html);
    }

    [Fact]
    public async Task Operators_GetTheActionsTheStatusAllows_LabelledWithTheVmName()
    {
        var html = await RenderAsync(true, Web01, Db01, Paused);

        Assert.Contains("aria-label=\"Start database-01\"", html);
        Assert.DoesNotContain("aria-label=\"Stop database-01\"", html);
        Assert.Contains("aria-label=\"Stop web-server-01\"", html);
        Assert.Contains("aria-label=\"Shutdown web-server-01\"", html);
        Assert.Contains("aria-label=\"Reboot web-server-01\"", html);
        Assert.DoesNotContain("aria-label=\"Start web-server-01\"", html);
        Assert.Contains("aria-label=\"Resume batch-01\"", html);
        Assert.Contains("aria-label=\"Stop batch-01\"", html);
        Assert.Matches(new Regex("<button type=\"button\"[^>]*aria-label=\"Start database-01\""), html);
    }

    [Fact]
    public async Task Viewers_GetNoActionButtonsAtAll()
    {
        var html = await RenderAsync(false, Web01, Db01, Paused);

        Assert.Contains("web-server-01", html);
        Assert.DoesNotMatch(new Regex("aria-label=\"(Start|Stop|Shutdown|Reboot|Resume) "), html);
        Assert.DoesNotContain(">Actions<", html);
    }

    [Fact]
    public async Task Templates_HaveNoPowerActions()
    {
        var html = await RenderAsync(true, Template);

        Assert.Contains("ubuntu-24.04-template", html);
        Assert.Contains(">template</span>", html);
        Assert.DoesNotContain("aria-label=\"Start ubuntu-24.04-template\"", html);
    }

    [Fact]
    public async Task Row_ShowsUsageBars_Uptime_AndTagChips()
    {
        var html = await RenderAsync(true, Web01);

        Assert.Contains("15 %", html);
        Assert.Contains("3.5 / 4.0 GB", html);
        Assert.Contains("mx-usage mx-usage--warning", html);   // memory 87.5 %
        Assert.Contains("5d 0h", html);
        Assert.Contains("data-category=\"environment\"", html);
        Assert.Matches(new Regex("<span[^>]*class=\"mx-tag\"[^>]*>client-acme</span>"), html);
    }
}
