using System.Net;
using System.Text.RegularExpressions;
using Moxxie.E2E.Infrastructure;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>(c) Nobody gets in without signing in: pages redirect to /login, the API answers 401.</summary>
[Collection(JourneyCollection.Name)]
public sealed class AnonymousJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    [Fact]
    public async Task Anonymous_page_visit_lands_on_login_with_return_url()
    {
        await RunAsync(async () =>
        {
            await Page.GotoAsync("/vms");

            await Expect(Page).ToHaveURLAsync(new Regex(@"/login\?ReturnUrl=(%2F|/)vms", RegexOptions.IgnoreCase));
            await Expect(new LoginPage(Page).SignInButton).ToBeVisibleAsync();
        });
    }

    [Fact]
    public async Task Anonymous_api_call_gets_401()
    {
        using var client = Host.CreateApiClient();

        using var response = await client.GetAsync("/api/v1/vms", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
