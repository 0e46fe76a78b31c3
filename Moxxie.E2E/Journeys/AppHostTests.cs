using Moxxie.E2E.Infrastructure;

namespace Moxxie.E2E.Journeys;

/// <summary>The host: the app answers on its real Kestrel port and Chromium reaches it.</summary>
[Collection(JourneyCollection.Name)]
public sealed class AppHostTests(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Browser_reaches_the_app_on_its_kestrel_port()
    {
        await RunAsync(async () =>
        {
            var response = await Page.GotoAsync("/login");

            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            Assert.StartsWith(Host.BaseAddress.ToString(), Page.Url, StringComparison.Ordinal);
        });
    }
}
