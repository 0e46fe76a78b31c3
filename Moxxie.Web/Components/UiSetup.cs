using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components;

public static class UiSetup
{
    /// <summary>Cookie that remembers the user's Radzen theme (light or dark).</summary>
    public const string ThemeCookie = "moxxie-theme";

    /// <summary>Razor components with interactive server rendering, Radzen services.</summary>
    public static IServiceCollection AddMoxxieUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddRadzenComponents();
        services.AddRadzenCookieThemeService(o =>
        {
            o.Name = ThemeCookie;
            o.Duration = TimeSpan.FromDays(365);
        });
        services.AddScoped<CircuitUserContext>();
        services.AddScoped<Pages.Vms.VmRowRenderCounter>();
        services.AddSingleton<SharedFragments>();
        return services;
    }

    public static IEndpointRouteBuilder MapMoxxieUi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return endpoints;
    }
}
