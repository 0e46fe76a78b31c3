using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Inventory;
using Moxxie.Web.Components.Layout;
using Xunit;
using static Moxxie.Tests.Unit.Support.Builders;

namespace Moxxie.Tests.Components;

public sealed class StaleBannerTests
{
    [Fact]
    public async Task UnreachableConnection_ShowsTheBanner_WithTheTimeOfTheLastGoodRefresh()
    {
        var hub = new InventoryHub();
        hub.Publish(Snapshot("prod", Guest(101, "web")) with { Error = "prod has not answered for 6 s.", CheckedAt = T0.AddSeconds(6) });
        hub.Publish(Snapshot("lab", Guest(201, "lab-vm")));

        var html = await ComponentHtml.RenderAsync<StaleBanner>(new Dictionary<string, object?>(), s => s.AddSingleton(hub));

        Assert.Contains("data-testid=\"stale-banner\"", html);
        Assert.Contains("<strong>prod cannot be reached.</strong>", html);
        Assert.Contains("<time datetime=\"2026-11-25T08:00:00.0000000Z\" data-testid=\"stale-last-good\">08:00:00 UTC</time>", html);
        Assert.Contains("prod has not answered for 6 s.", html);
        Assert.DoesNotContain("lab cannot be reached", html);
    }

    [Fact]
    public async Task AllReachable_NoBanner()
    {
        var hub = new InventoryHub();
        hub.Publish(Snapshot("prod", Guest(101, "web")));

        var html = await ComponentHtml.RenderAsync<StaleBanner>(new Dictionary<string, object?>(), s => s.AddSingleton(hub));

        Assert.DoesNotContain("stale-banner", html);
    }
}
