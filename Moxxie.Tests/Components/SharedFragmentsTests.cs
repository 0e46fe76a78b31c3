using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Inventory;
using Moxxie.Web.Components.Pages.Dashboard;
using Moxxie.Web.Components.Shared;
using Xunit;

namespace Moxxie.Tests.Components;

/// <summary>The dashboard's shared HTML: rendered once per shared object and variant, handed to every caller.</summary>
public sealed class SharedFragmentsTests
{
    private static NodeCard Node(string name, bool online, double cpu) =>
        new("prod", name, online, "10.0.0.1", cpu, 8, 4L << 30, 16L << 30, 0, 0, 100);

    [Fact]
    public async Task Every_caller_gets_the_same_string_until_the_key_or_variant_changes()
    {
        await using var services = ComponentHtml.Services();
        var fragments = new SharedFragments(services.GetRequiredService<IServiceScopeFactory>(), NullLoggerFactory.Instance);
        IReadOnlyList<NodeCard> nodes = [Node("pve-a", true, 0.25), Node("pve-b<x>", false, 0)];
        var renders = 0;
        IDictionary<string, object?> Parameters() { renders++; return new Dictionary<string, object?> { [nameof(NodeList.Nodes)] = nodes }; }

        var first = await fragments.GetAsync<NodeList>(nodes, null, Parameters);
        var second = await fragments.GetAsync<NodeList>(nodes, null, Parameters);

        Assert.Same(first.Value, second.Value);
        Assert.Equal(1, renders);
        Assert.Contains("data-testid=\"dashboard-node\" data-node=\"pve-a\" data-status=\"online\"", first.Value, StringComparison.Ordinal);
        Assert.Contains("href=\"nodes/pve-a\"", first.Value, StringComparison.Ordinal);
        Assert.Contains("pve-b&lt;x&gt;", first.Value, StringComparison.Ordinal);   // encoded, not markup
        Assert.DoesNotContain("<x>", first.Value, StringComparison.Ordinal);

        // The same key drawn by another component is another fragment; another variant renders again.
        var bars = await fragments.GetAsync<NodeUsageChart>(nodes, null, () => new Dictionary<string, object?> { [nameof(NodeUsageChart.Nodes)] = nodes });
        Assert.Contains("data-testid=\"node-bar\"", bars.Value, StringComparison.Ordinal);
        Assert.Contains("width: 25%", bars.Value, StringComparison.Ordinal);
        var other = await fragments.GetAsync<NodeList>(nodes, "tomorrow", Parameters);
        Assert.Equal(2, renders);
        Assert.NotSame(first.Value, other.Value);
        Assert.Equal(first.Value, other.Value);

        // A new list (the next poll) is a new key.
        IReadOnlyList<NodeCard> polled = [Node("pve-a", false, 0)];
        var next = await fragments.GetAsync<NodeList>(polled, null, () => new Dictionary<string, object?> { [nameof(NodeList.Nodes)] = polled });
        Assert.Contains("data-status=\"offline\"", next.Value, StringComparison.Ordinal);
    }
}
