using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Tests.Infrastructure;
using Moxxie.Web.Identity;
using Xunit;

namespace Moxxie.Tests.Integration.Identity;

/// <summary>/account/tokens and /settings/users: who may open them, and the user administration behind Settings → Users.</summary>
public sealed class AccountPagesTests(MoxxieAppFixture fixture) : IClassFixture<MoxxieAppFixture>
{
    private const string Password = "Pages-Test-Pa55word";
    private static readonly Actor Admin = new("admin", [MoxxieRoles.Admin], "10.0.0.1");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokensPage_RendersForAnySignedInUser()
    {
        var name = MoxxieAppFixture.UniqueUser("tokviewer");
        await AppSession.CreateUserAsync(fixture.App, name, Password, MoxxieRoles.Viewer);
        using var response = await GetAsSync("/account/tokens", name);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("API tokens", html);
        Assert.Contains("Create token", html);
        Assert.Contains("No API tokens yet", html);
    }

    [Fact]
    public async Task UsersPage_IsForAdminsOnly()
    {
        using (var admin = await GetAsSync("/settings/users", "admin", MoxxieAppFactory.DefaultAdminPassword))
        {
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            var html = await admin.Content.ReadAsStringAsync(Ct);
            Assert.Contains("Users and roles", html);
            Assert.Contains("data-user=\"admin\"", html);
        }

        var name = MoxxieAppFixture.UniqueUser("usrop");
        await AppSession.CreateUserAsync(fixture.App, name, Password, MoxxieRoles.Operator);
        using var op = await GetAsSync("/settings/users", name);
        Assert.True(MoxxieAppFactory.IsRedirect(op.StatusCode), $"expected a redirect, got {op.StatusCode}");
        Assert.StartsWith("/access-denied", op.Headers.Location?.PathAndQuery ?? op.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task CreateUser_WithRole_IsAudited_AndCanSignIn()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var name = MoxxieAppFixture.UniqueUser("created");

        await admin.CreateAsync(Admin, name, Password, MoxxieRoles.Operator, Ct);

        var listed = Assert.Single(await admin.ListAsync(Admin, Ct), u => u.UserName == name);
        Assert.Equal(MoxxieRoles.Operator, listed.Role);
        Assert.False(listed.LockedOut);
        Assert.NotEmpty(await AppSession.GetAccessTokenAsync(fixture.App, name, Password));
        Assert.Contains(await fixture.App.AuditEntriesAsync(Ct), e => e.Operation == "USER_CREATE" && e.ResourceId == name && e.User == "admin");

        var duplicate = await Assert.ThrowsAsync<ValidationException>(() => admin.CreateAsync(Admin, name, Password, MoxxieRoles.Viewer, Ct));
        Assert.Contains("userName", duplicate.Errors.Keys);
        var weak = await Assert.ThrowsAsync<ValidationException>(() => admin.CreateAsync(Admin, name + "x", "short", MoxxieRoles.Viewer, Ct));
        Assert.Contains("password", weak.Errors.Keys);
    }

    [Fact]
    public async Task NonAdmins_CannotManageUsers()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var operatorActor = new Actor("op", [MoxxieRoles.Operator], null);
        await Assert.ThrowsAsync<ForbiddenException>(() => admin.ListAsync(operatorActor, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() => admin.CreateAsync(operatorActor, "sneaky", Password, MoxxieRoles.Admin, Ct));
    }

    [Fact]
    public async Task ChangeRole_TakesEffect_ButNeverRemovesTheLastAdmin()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var name = MoxxieAppFixture.UniqueUser("promoted");
        await admin.CreateAsync(Admin, name, Password, MoxxieRoles.Viewer, Ct);
        var user = (await users.FindByNameAsync(name))!;

        await admin.SetRoleAsync(Admin, user.Id, MoxxieRoles.Operator, Ct);
        Assert.Equal([MoxxieRoles.Operator], await users.GetRolesAsync(user));
        Assert.Contains(await fixture.App.AuditEntriesAsync(Ct), e => e.Operation == "USER_ROLE_CHANGE" && e.ResourceId == name);

        var onlyAdmin = (await users.GetUsersInRoleAsync(MoxxieRoles.Admin)).Single();
        var refused = await Assert.ThrowsAsync<ValidationException>(() => admin.SetRoleAsync(Admin, onlyAdmin.Id, MoxxieRoles.Viewer, Ct));
        Assert.Contains("last administrator", refused.Message);
        Assert.Contains(MoxxieRoles.Admin, await users.GetRolesAsync(onlyAdmin));
    }

    [Fact]
    public async Task Unlock_And_ResetPassword_LetALockedOutUserBackIn()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var name = MoxxieAppFixture.UniqueUser("locked");
        await admin.CreateAsync(Admin, name, Password, MoxxieRoles.Viewer, Ct);
        for (var i = 0; i < 5; i++)
            await AppSession.PostLoginAsync(fixture.App, name, "wrong-" + i);
        var locked = Assert.Single(await admin.ListAsync(Admin, Ct), u => u.UserName == name);
        Assert.True(locked.LockedOut);

        await admin.UnlockAsync(Admin, locked.Id, Ct);
        const string newPassword = "Brand-New-Pa55word";
        await admin.ResetPasswordAsync(Admin, locked.Id, newPassword, Ct);

        Assert.False(Assert.Single(await admin.ListAsync(Admin, Ct), u => u.UserName == name).LockedOut);
        var login = await AppSession.PostLoginAsync(fixture.App, name, newPassword);
        Assert.NotNull(login.AuthCookie);
        var audit = await fixture.App.AuditEntriesAsync(Ct);
        Assert.Contains(audit, e => e.Operation == "USER_UNLOCK" && e.ResourceId == name);
        Assert.Contains(audit, e => e.Operation == "USER_PASSWORD_RESET" && e.ResourceId == name);
        Assert.DoesNotContain(audit, e => (e.DetailsJson ?? "").Contains(newPassword, StringComparison.Ordinal));
    }

    private async Task<HttpResponseMessage> GetAsSync(string path, string userName, string password = Password)
    {
        var login = await AppSession.PostLoginAsync(fixture.App, userName, password);
        Assert.NotNull(login.AuthCookie);
        using var client = fixture.App.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", login.AuthCookie);
        return await client.SendAsync(request, Ct);
    }
}
