using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using Radzen;

namespace Moxxie.Tests.Components;

/// <summary>Renders a component to HTML with the framework's HtmlRenderer (bUnit does not run on .NET 10 here), with
/// Radzen's services and a JS runtime that does nothing (static rendering never calls JS).</summary>
internal static class ComponentHtml
{
    public static async Task<string> RenderAsync<TComponent>(IReadOnlyDictionary<string, object?> parameters, Action<IServiceCollection>? configure = null)
        where TComponent : IComponent
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IJSRuntime, NoJsRuntime>();
        services.AddSingleton<NavigationManager, TestNavigationManager>();
        services.AddRadzenComponents();
        services.AddSingleton<Moxxie.Web.Components.Pages.Vms.VmRowRenderCounter>();
        services.TryAddSingleton<Moxxie.Core.Tags.TagPalette>();
        configure?.Invoke(services);
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters.ToDictionary()));
            return output.ToHtmlString();
        });
    }

    /// <summary>The same services as <see cref="RenderAsync{TComponent}"/>, for tests that keep a renderer alive and
    /// re-render (e.g. counting row renders across updates).</summary>
    public static ServiceProvider Services(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IJSRuntime, NoJsRuntime>();
        services.AddSingleton<NavigationManager, TestNavigationManager>();
        services.AddRadzenComponents();
        services.AddSingleton<Moxxie.Web.Components.Pages.Vms.VmRowRenderCounter>();
        services.TryAddSingleton<Moxxie.Core.Tags.TagPalette>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private sealed class NoJsRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
            ValueTask.FromResult(default(TValue)!);
    }

    private sealed class TestNavigationManager : NavigationManager
    {
        public TestNavigationManager() => Initialize("http://localhost/", "http://localhost/vms");

        protected override void NavigateToCore(string uri, NavigationOptions options) => Uri = ToAbsoluteUri(uri).ToString();
    }
}
