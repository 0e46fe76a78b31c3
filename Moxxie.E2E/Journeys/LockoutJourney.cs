using System.Text.RegularExpressions;
using Moxxie.E2E.Infrastructure;
using Moxxie.Core.Security;
using Moxxie.E2E.PageObjects;
using static Microsoft.Playwright.Assertions;

namespace Moxxie.E2E.Journeys;

/// <summary>(d) Five wrong passwords lock the account; then even the right password is refused.</summary>
[Collection(JourneyCollection.Name)]
public sealed class LockoutJourney(MoxxieE2EHost host) : JourneyTest(host)
{
    private const string Password = "Lockout-Pa55word!";

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        await RunAsync(async () =>
        {
            var userName = "locked-" + Guid.NewGuid().ToString("N")[..8];
            await TestUsers.CreateAsync(Host.App.Services, userName, Password, MoxxieRoles.Viewer);
            var login = new LoginPage(Page);
            await login.GotoAsync();

            for (var attempt = 1; attempt <= 4; attempt++)
            {
                await login.SubmitAsync(userName, $"wrong-{attempt}");
                await Expect(login.InvalidCredentialsMessage).ToBeVisibleAsync();
            }
            await login.SubmitAsync(userName, "wrong-5");
            await Expect(login.LockedOutMessage).ToBeVisibleAsync();

            await login.SubmitAsync(userName, Password);
            await Expect(login.LockedOutMessage).ToBeVisibleAsync();
            await Expect(Page).ToHaveURLAsync(new Regex("/login", RegexOptions.IgnoreCase));
            await Expect(login.SignInButton).ToBeVisibleAsync();
        });
    }
}
