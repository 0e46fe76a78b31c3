using System.Net;
using Moxxie.Core.Security;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Identity;

public sealed class LoginTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private const string Password = "Operator-Pa55word!";
    private MoxxieAppFactory App => fixture.App;

    [Fact]
    public async Task Anonymous_page_request_redirects_to_login_with_return_url()
    {
        using var client = App.CreateApiClient();
        using var response = await client.GetAsync("/vms?status=running", TestContext.Current.CancellationToken);
        Assert.True(MoxxieAppFactory.IsRedirect(response.StatusCode), response.StatusCode.ToString());
        var location = response.Headers.Location!.OriginalString;
        Assert.Contains("/login?ReturnUrl=", location);
        Assert.Contains(Uri.EscapeDataString("/vms?status=running"), location);
    }

    [Fact]
    public async Task Admin_created_at_first_start_signs_in_and_is_sent_to_the_local_return_url()
    {
        var result = await AppSession.PostLoginAsync(App, "admin", MoxxieAppFactory.DefaultAdminPassword, "/vms?tag=env-prod");
        Assert.True(MoxxieAppFactory.IsRedirect(result.Status));
        Assert.Equal("/vms?tag=env-prod", result.Location);
        Assert.NotNull(result.AuthCookie);

        // The cookie is a real session: the protected area no longer redirects to /login.
        using var client = App.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Add("Cookie", result.AuthCookie);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Foreign_return_url_is_ignored()
    {
        var result = await AppSession.PostLoginAsync(App, "admin", MoxxieAppFactory.DefaultAdminPassword, "//evil.example/x");
        Assert.Equal("/", result.Location);
        Assert.NotNull(result.AuthCookie);
    }

    [Fact]
    public async Task Wrong_password_redirects_back_with_error_and_is_audited()
    {
        var user = MoxxieAppFixture.UniqueUser("wrongpw");
        await AppSession.CreateUserAsync(App, user, Password, MoxxieRoles.Viewer);

        var result = await AppSession.PostLoginAsync(App, user, "not-the-password", "/tasks");

        Assert.Equal("/login?error=invalid&ReturnUrl=%2Ftasks", result.Location);
        Assert.Null(result.AuthCookie);
        var audit = await App.AuditEntriesAsync(TestContext.Current.CancellationToken);
        var row = Assert.Single(audit, a => a.ResourceId == user);
        Assert.Equal("LOGIN_FAILED", row.Operation);
        Assert.False(row.Success);
        Assert.DoesNotContain("not-the-password", row.DetailsJson ?? "");
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_for_the_right_password()
    {
        var user = MoxxieAppFixture.UniqueUser("lock");
        await AppSession.CreateUserAsync(App, user, Password, MoxxieRoles.Operator);

        for (var i = 0; i < 4; i++)
            Assert.StartsWith("/login?error=invalid", (await AppSession.PostLoginAsync(App, user, "wrong")).Location);
        Assert.StartsWith("/login?error=locked", (await AppSession.PostLoginAsync(App, user, "wrong")).Location);

        var correct = await AppSession.PostLoginAsync(App, user, Password);
        Assert.StartsWith("/login?error=locked", correct.Location);
        Assert.Null(correct.AuthCookie);

        var audit = (await App.AuditEntriesAsync(TestContext.Current.CancellationToken)).Where(a => a.ResourceId == user).ToList();
        Assert.Equal(4, audit.Count(a => a.Operation == "LOGIN_FAILED"));
        Assert.Equal(2, audit.Count(a => a.Operation == "LOGIN_LOCKED_OUT"));
    }

    [Fact]
    public async Task Login_without_antiforgery_token_does_not_sign_in()
    {
        using var client = App.CreateApiClient();
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = MoxxieAppFactory.DefaultAdminPassword,
        }), TestContext.Current.CancellationToken);
        Assert.StartsWith("/login?error=expired", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("Moxxie.Auth=", StringComparison.Ordinal)));
    }
}
