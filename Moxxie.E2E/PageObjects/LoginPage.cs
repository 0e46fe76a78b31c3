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

    /// <summary>
    /// Fills the form and submits it; returns once the page the post leads to (after its redirect) has loaded, not for
    /// any particular outcome. Waits for a NEW document: repeated failures land on the same URL showing the same
    /// message, so checking the URL or the message alone could pass against the previous page.
    /// </summary>
    public async Task SubmitAsync(string userName, string password, TimeSpan? timeout = null)
    {
        await UserName.FillAsync(userName);
        await Password.FillAsync(password);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoaded(object? sender, IPage p) => loaded.TrySetResult();
        page.DOMContentLoaded += OnLoaded;
        try
        {
            await SignInButton.ClickAsync();
            await loaded.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20), TestContextCancellation);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Signing in as {userName}: no new page loaded after the form post (still at {page.Url}).");
        }
        finally
        {
            page.DOMContentLoaded -= OnLoaded;
        }
    }

    private static CancellationToken TestContextCancellation => Xunit.TestContext.Current.CancellationToken;

    /// <summary>Signs in and expects to leave /login.</summary>
    public async Task SignInAsync(string userName, string password)
    {
        await GotoAsync();
        await SubmitAsync(userName, password);
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/login", RegexOptions.IgnoreCase));
    }
}
