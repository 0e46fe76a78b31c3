namespace Moxxie.Web.Components;

public static class UiSetup
{
    /// <summary>Razor components with interactive server rendering, Radzen services.</summary>
    public static IServiceCollection AddMoxxieUi(this IServiceCollection services)
    {
        // TODO(H4)
        return services;
    }

    public static IEndpointRouteBuilder MapMoxxieUi(this IEndpointRouteBuilder endpoints)
    {
        // TODO(H4): MapRazorComponents<App>().AddInteractiveServerRenderMode()
        return endpoints;
    }
}
