namespace Moxxie.Web.Api;

public static class ApiSetup
{
    /// <summary>/api/v1 groups (cluster, vms, tasks, tokens), error shape, OpenAPI document and Swagger UI.</summary>
    public static IServiceCollection AddMoxxieApi(this IServiceCollection services)
    {
        // TODO(H3)
        return services;
    }

    public static IEndpointRouteBuilder MapMoxxieApi(this IEndpointRouteBuilder endpoints)
    {
        // TODO(H3)
        return endpoints;
    }
}
