using System.Text;
using Microsoft.Playwright;

namespace Moxxie.E2E.PageObjects;

/// <summary>
/// Knows when the page's Blazor Server circuit is live: clicks on a prerendered page before its circuit has applied a
/// render batch are lost. After each main-frame navigation it waits for a "JS.RenderBatch" frame on the page's current
/// /_blazor WebSocket. Attach before the first navigation.
/// </summary>
public sealed class BlazorCircuit
{
    private static readonly byte[] RenderBatch = Encoding.UTF8.GetBytes("JS.RenderBatch");
    private readonly Lock _gate = new();
    private TaskCompletionSource _rendered = NewSignal();
    private IWebSocket? _current;

    public BlazorCircuit(IPage page)
    {
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

    /// <summary>Waits until the current page's circuit has rendered at least once (interactive from then on).</summary>
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
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
