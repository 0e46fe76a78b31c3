using System.Text;
using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>
/// Knows when the page's Blazor Server circuit is live: clicks on a prerendered page before its circuit has applied a
/// render batch are lost. After each main-frame navigation it waits for a "JS.RenderBatch" frame on the page's current
/// /_blazor WebSocket, and then for the layout to say it rendered interactively: the page has three interactive roots
/// (theme, head, routes) and the first batch is usually the theme's, while the prerendered page (and anything typed into
/// it) is replaced only by the routes' first batch. Attach before the first navigation.
/// </summary>
public sealed class BlazorCircuit
{
    /// <summary>MainLayout's marker once it rendered on the circuit, with no page still waiting for its authorization.</summary>
    private const string PageIsLive =
        "() => document.querySelector('.mx-layout[data-interactive=true]') !== null && document.querySelector('[data-testid=authorizing]') === null";

    private readonly IPage _page;
    private static readonly byte[] RenderBatch = Encoding.UTF8.GetBytes("JS.RenderBatch");
    private readonly Lock _gate = new();
    private TaskCompletionSource _rendered = NewSignal();
    private IWebSocket? _current;

    public BlazorCircuit(IPage page)
    {
        _page = page;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame != page.MainFrame) return;
            lock (_gate) _rendered = NewSignal();
        };
        page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/_blazor", StringComparison.Ordinal))
                return;
            lock (_gate) _current = socket;
            socket.FrameReceived += (_, frame) =>
            {
                var carriesBatch = frame.Binary is { } bytes
                    ? bytes.AsSpan().IndexOf(RenderBatch) >= 0
                    : frame.Text?.Contains("JS.RenderBatch", StringComparison.Ordinal) == true;
                if (!carriesBatch) return;
                lock (_gate)
                {
                    if (socket == _current)
                        _rendered.TrySetResult();
                }
            };
        };
    }

    /// <summary>Waits until the current page's circuit has rendered the page (interactive from then on).</summary>
    public async Task WaitUntilInteractiveAsync(TimeSpan timeout)
    {
        Task rendered;
        lock (_gate) rendered = _rendered.Task;
        try
        {
            await rendered.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"The page's Blazor circuit did not render within {timeout.TotalSeconds:0} s (no JS.RenderBatch on /_blazor).");
        }
        await _page.WaitForFunctionAsync(PageIsLive, null, new() { PollingInterval = 50, Timeout = (float)timeout.TotalMilliseconds });
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
