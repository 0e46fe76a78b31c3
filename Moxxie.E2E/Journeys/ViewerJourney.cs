using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Moxxie.E2E.Infrastructure;
using Moxxie.Core.Security;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>(b) A Viewer sees the VMs but gets no action buttons, and the API refuses its actions anyway.</summary>
[Collection(JourneyCollection.Name)]
public sealed class ViewerJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    private const string Password = "Viewer-Pa55word!";

    [Fact]
    public async Task Viewer_sees_vms_without_action_buttons_and_api_post_gets_403()
    {
        await RunAsync(async () =>
        {
            var ct = TestContext.Current.CancellationToken;
            var userName = "viewer-" + Guid.NewGuid().ToString("N")[..8];
            await TestUsers.CreateAsync(Host.App.Services, userName, Password, MoxxieRoles.Viewer);

            await new LoginPage(Page).SignInAsync(userName, Password);
            var vms = new VmListPage(Page, Circuit);
            await vms.GotoAsync(UiTimeout);
            await Expect(vms.RowNamed("web-server-01")).ToBeVisibleAsync();
            await Expect(vms.Status(101)).ToHaveTextAsync("running");
            await Expect(vms.AnyActionButton).ToHaveCountAsync(0);

            using var client = Host.CreateApiClient();
            using var tokenResponse = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = userName, password = Password }, ct);
            Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
            var token = ReadToken(await tokenResponse.Content.ReadAsStringAsync(ct));

            using var start = new HttpRequestMessage(HttpMethod.Post, "/api/v1/vms/102/start");
            start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var startResponse = await client.SendAsync(start, ct);
            Assert.Equal(HttpStatusCode.Forbidden, startResponse.StatusCode);

            // The token itself is good: the same Viewer may read.
            using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v1/vms");
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var listResponse = await client.SendAsync(list, ct);
            Assert.Equal(HttpStatusCode.OK, listResponse.StatusCode);
        });
    }

    private static string ReadToken(string json)
    {
        using var doc = JsonDocument.Parse(json);
        foreach (var name in new[] { "token", "access_token", "accessToken" })
            if (doc.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } token)
                return token;
        throw new InvalidOperationException($"No token in POST /api/v1/auth/token's answer: {json}");
    }
}
