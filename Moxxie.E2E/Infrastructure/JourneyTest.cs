using Microsoft.Playwright;
using Moxxie.E2E.PageObjects;

namespace Moxxie.E2E.Infrastructure;

/// <summary>
/// Base for journeys: a fresh browser context and page per test; <see cref="RunAsync"/> saves a full-page screenshot
/// into the test output folder (bin/.../screenshots) when the journey fails, then rethrows.
/// </summary>
public abstract class JourneyTest(MoxxieE2EHost host) : IAsyncLifetime
{
    /// <summary>Upper bound for any single UI expectation; generous for a 2-core machine, never a sleep.</summary>
    protected static readonly TimeSpan UiTimeout = TimeSpan.FromSeconds(10);

    protected MoxxieE2EHost Host { get; } = host;
    protected IBrowserContext Context { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;
    protected BlazorCircuit Circuit { get; private set; } = null!;
    private readonly List<string> _browserLog = [];

    public async ValueTask InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)UiTimeout.TotalMilliseconds);
        Context = await Host.NewContextAsync();
        Context.SetDefaultTimeout((float)UiTimeout.TotalMilliseconds);
        Page = await Context.NewPageAsync();
        Circuit = new BlazorCircuit(Page);
        Page.Console += (_, message) => { lock (_browserLog) _browserLog.Add($"console.{message.Type}: {message.Text}"); };
        Page.PageError += (_, error) => { lock (_browserLog) _browserLog.Add($"page error: {error}"); };
        Page.Response += (_, response) =>
        {
            if (response.Status >= 400) lock (_browserLog) _browserLog.Add($"HTTP {response.Status}: {response.Url}");
        };
        Page.RequestFailed += (_, request) => { lock (_browserLog) _browserLog.Add($"request failed: {request.Url} {request.Failure}"); };
        Page.WebSocket += (_, socket) =>
        {
            lock (_browserLog) _browserLog.Add($"websocket opened: {socket.Url}");
            socket.Close += (_, _) => { lock (_browserLog) _browserLog.Add($"websocket closed: {socket.Url}"); };
        };
    }

    protected async Task RunAsync(Func<Task> journey)
    {
        try
        {
            await journey();
        }
        catch (Exception)
        {
            await SaveScreenshotAsync();
            lock (_browserLog)
                TestContext.Current.TestOutputHelper?.WriteLine("Browser log:\n  " + string.Join("\n  ", _browserLog));
            throw;
        }
    }

    private async Task SaveScreenshotAsync()
    {
        try
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            var test = TestContext.Current.Test?.TestDisplayName ?? GetType().Name;
            var name = string.Concat(test.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
            var path = Path.Combine(folder, $"{name}-{DateTime.Now:HHmmss}.png");
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 5000 });
            TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot of the failure: {path} (url {Page.Url})");
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)   // never hide the journey's own failure
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"Could not save a screenshot: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Context is not null) await Context.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
