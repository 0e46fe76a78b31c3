using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Moxxie.Web.Components.Shared;

/// <summary>
/// Singleton: renders a read-only component (no events, no injected scoped services) to HTML once for a shared object and
/// hands every circuit the same string, which a page shows as one markup frame.
/// </summary>
/// <remarks>
/// A Blazor Server circuit keeps each component's last two render trees. The dashboard shows the same data in every
/// browser (one <see cref="Core.Inventory.DashboardView"/> shared until the inventory changes), so drawing its cluster
/// summaries and alerts as components held ~300 KB of render frames per idle dashboard circuit on a 10,000-guest estate
/// (docs/benchmarks.md). Rendered here once per view, they cost each circuit one frame and a reference to a shared string.
/// The price: when a figure changes, the whole fragment is replaced instead of patched (a few KB per poll), and focus
/// inside it would be lost, so fragments that change every poll (gauges, usage bars) hold nothing focusable, and those
/// with links (node lists, alerts) change only when what they list changes: an unchanged string is not sent again.
/// Links in the HTML are plain anchors, which Blazor's navigation intercepts like any other.
/// </remarks>
public sealed class SharedFragments(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    private readonly ConditionalWeakTable<object, System.Collections.Concurrent.ConcurrentDictionary<Type, Entry>> _cache = new();

    private sealed class Entry
    {
        public object? Variant;
        public Task<MarkupString>? Html;
    }

    /// <summary>
    /// The HTML of <typeparamref name="TComponent"/> for <paramref name="key"/> (by identity; the entry lives as long as
    /// the key does, one per component type) and <paramref name="variant"/> (anything else the HTML depends on, by Equals). Concurrent callers
    /// share one rendering; a failed rendering is tried again by the next caller.
    /// </summary>
    public Task<MarkupString> GetAsync<TComponent>(object key, object? variant, Func<IDictionary<string, object?>> parameters)
        where TComponent : IComponent
    {
        var entry = _cache.GetValue(key, _ => new()).GetOrAdd(typeof(TComponent), _ => new Entry());
        lock (entry)
        {
            if (entry.Html is null || entry.Html.IsFaulted || entry.Html.IsCanceled || !Equals(entry.Variant, variant))
            {
                entry.Variant = variant;
                entry.Html = RenderAsync<TComponent>(parameters());
            }
            return entry.Html;
        }
    }

    private async Task<MarkupString> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent
    {
        // A renderer (and a scope: the renderer needs scoped framework services) per fragment: HtmlRenderer keeps every
        // root component it rendered until it is disposed.
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var root = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return new MarkupString(root.ToHtmlString());
        });
    }
}
