using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>/login: a static SSR form (labels "Username", "Password", button "Sign in") posting to /account/login.</summary>
public sealed class LoginPage(IPage page)
{
    public ILocator UserName => page.GetByLabel("Username", new() { Exact = true });
    public ILocator Password => page.GetByLabel("Password", new() { Exact = true });
    public ILocator SignInButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });
    public ILocator InvalidCredentialsMessage => page.GetByText("Invalid username or password.");
    public ILocator LockedOutMessage => page.GetByText(new Regex("locked", RegexOptions.IgnoreCase));

    public async Task GotoAsync()
    {
        await page.GotoAsync("/login");
        await Assertions.Expect(SignInButton).ToBeVisibleAsync();
    }

    /// <summary>Fills the form and submits it; waits for the resulting page load, not for any particular outcome.</summary>
    public async Task SubmitAsync(string userName, string password)
    {
        await UserName.FillAsync(userName);
        await Password.FillAsync(password);
        await SignInButton.ClickAsync(); // a form post: the click waits for the navigation it starts
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>Signs in and expects to leave /login.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        await GotoAsync();
        await SubmitAsync(userName, password);
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/login", RegexOptions.IgnoreCase));
    }
}
