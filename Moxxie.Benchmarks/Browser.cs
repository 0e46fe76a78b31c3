using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;

namespace Moxxie.Benchmarks;

/// <summary>Headless Chromium (/usr/bin/chromium, never downloaded) and the few page operations the benchmark needs.</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}: apt-get install -y chromium");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            ],
        });
    }

    /// <summary>Signs in through /login (static form) and leaves the context with the auth cookie.</summary>
    public static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(user);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.OrdinalIgnoreCase), new() { Timeout = 60_000 });
    }
}

/// <summary>
/// Signals when a page's Blazor circuit has applied its first render batch after each navigation (a "JS.RenderBatch"
/// frame on the /_blazor WebSocket): from then on the page is interactive. Attach before navigating.
/// </summary>
internal sealed class CircuitWatch
{
    private static readonly byte[] RenderBatch = Encoding.UTF8.GetBytes("JS.RenderBatch");
    private readonly Lock _gate = new();
    private TaskCompletionSource<long> _rendered = New();

    public CircuitWatch(IPage page)
    {
        page.FrameNavigated += (_, frame) =>
        {
            if (frame != page.MainFrame) return;
            lock (_gate) _rendered = New();
        };
        page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/_blazor", StringComparison.Ordinal)) return;
            socket.FrameReceived += (_, frame) =>
            {
                var batch = frame.Binary is { } bytes
                    ? bytes.AsSpan().IndexOf(RenderBatch) >= 0
                    : frame.Text?.Contains("JS.RenderBatch", StringComparison.Ordinal) == true;
                if (batch) lock (_gate) _rendered.TrySetResult(Stopwatch.GetTimestamp());
            };
        };
    }

    /// <summary>Resets before a navigation the caller starts itself (so a previous page's batch doesn't count).</summary>
    public void Reset()
    {
        lock (_gate) _rendered = New();
    }

    /// <summary>Stopwatch timestamp of the first render batch since the last navigation/reset.</summary>
    public Task<long> InteractiveAsync(TimeSpan timeout)
    {
        Task<long> task;
        lock (_gate) task = _rendered.Task;
        return task.WaitAsync(timeout);
    }

    private static TaskCompletionSource<long> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
