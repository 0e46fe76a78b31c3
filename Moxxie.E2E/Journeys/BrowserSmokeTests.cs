using Microsoft.Playwright;
using Moxxie.E2E.Infrastructure;

namespace Moxxie.E2E.Journeys;

/// <summary>The harness alone, without the app: Playwright's bundled driver runs on this machine and drives Chromium.</summary>
public sealed class BrowserSmokeTests
{
    [Fact]
    public async Task Playwright_drives_the_machines_chromium()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync("about:blank");
        await page.SetContentAsync("<button aria-label='Start web-server-01'>Start</button>");

        Assert.Equal("about:blank", page.Url);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start web-server-01" })).ToBeVisibleAsync();
    }
}
