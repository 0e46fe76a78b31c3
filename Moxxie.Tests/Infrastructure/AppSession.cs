using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moxxie.Infrastructure.Persistence;
using Xunit;

namespace Moxxie.Tests.Infrastructure;

/// <summary>Signs in like a browser (form post with a real antiforgery token) or like an API client (bearer).</summary>
public static class AppSession
{
    public sealed record FormPostResult(HttpStatusCode Status, string? Location, string? AuthCookie);

    /// <summary>POST /account/login with a valid antiforgery cookie + field; returns the redirect and the auth cookie.</summary>
    public static async Task<FormPostResult> PostLoginAsync(MoxxieAppFactory app, string userName, string password, string? returnUrl = null)
    {
        var (cookie, field, token) = Antiforgery(app);
        using var client = app.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = userName, ["password"] = password, ["ReturnUrl"] = returnUrl ?? "", [field] = token,
            }),
        };
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var auth = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith("Moxxie.Auth=", StringComparison.Ordinal))?.Split(';')[0]
            : null;
        return new FormPostResult(response.StatusCode, response.Headers.Location?.OriginalString, auth);
    }

    /// <summary>An antiforgery cookie ("name=value") and the matching form field, minted by the app itself.</summary>
    public static (string Cookie, string FieldName, string RequestToken) Antiforgery(MoxxieAppFactory app)
    {
        using var scope = app.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var tokens = scope.ServiceProvider.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var cookieName = scope.ServiceProvider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name;
        return ($"{cookieName}={tokens.CookieToken}", tokens.FormFieldName, tokens.RequestToken!);
    }

    public static async Task CreateUserAsync(MoxxieAppFactory app, string userName, string password, string role)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var user = new MoxxieUser { UserName = userName };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    /// <summary>POST /api/v1/auth/token; the access token.</summary>
    public static async Task<string> GetAccessTokenAsync(MoxxieAppFactory app, string userName, string password)
    {
        using var client = app.CreateApiClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = userName, password },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Bearer", doc.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(3600, doc.RootElement.GetProperty("expires_in").GetInt32());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The password of the users <see cref="ApiClientAsync"/> creates.</summary>
    public const string ApiPassword = "Api-Session-Pa55word!";

    /// <summary>An API client of a new user (name from <paramref name="prefix"/>) in <paramref name="role"/>, with a bearer
    /// token, once <paramref name="ready"/> holds for it (by default: the API lists VMs, i.e. the first inventory poll is in;
    /// pass <see cref="Ready"/> to skip waiting).</summary>
    public static async Task<HttpClient> ApiClientAsync(MoxxieAppFactory app, string prefix, string role, Func<HttpClient, Task<bool>>? ready = null)
    {
        var user = MoxxieAppFixture.UniqueUser(prefix);
        await CreateUserAsync(app, user, ApiPassword, role);
        var client = BearerClient(app, await GetAccessTokenAsync(app, user, ApiPassword));
        ready ??= async c => (await c.GetFromJsonAsync<JsonElement>("/api/v1/vms", TestContext.Current.CancellationToken)).GetArrayLength() > 0;
        await MoxxieAppFactory.EventuallyAsync(() => ready(client), ok => ok);
        return client;
    }

    /// <summary>For <see cref="ApiClientAsync"/>: no wait.</summary>
    public static Task<bool> Ready(HttpClient client) => Task.FromResult(true);

    public static HttpClient BearerClient(MoxxieAppFactory app, string token)
    {
        var client = app.CreateApiClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
