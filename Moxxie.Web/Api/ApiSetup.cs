using Moxxie.Web.Hosting;

namespace Moxxie.Web.Api;

public static class ApiSetup
{
    /// <summary>/api/v1 groups (cluster, vms, tasks, tokens), error shape, OpenAPI document and Swagger UI.</summary>
    public static IServiceCollection AddMoxxieApi(this IServiceCollection services)
    {
        services.AddOpenApi();
        services.AddSingleton<ApiErrorMapping.Filter>();
        services.AddMoxxieHealthChecks();
        return services;
    }

    public static IEndpointRouteBuilder MapMoxxieApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1")
            .RequireAuthorization()
            .AddEndpointFilter<ApiErrorMapping.Filter>()
            .WithIdempotencyKeys();
        api.MapClusterEndpoints()
            .MapVmEndpoints()
            .MapVmDetailEndpoints()
            .MapSnapshotEndpoints()
            .MapRestoreEndpoints()
            .MapBackupEndpoints()
            .MapLifecycleEndpoints()
            .MapNodeEndpoints()
            .MapStorageEndpoints()
            .MapNetworkEndpoints()
            .MapTaskEndpoints()
            .MapTagEndpoints()
            .MapTagExpressionEndpoints()
            .MapTagOperationEndpoints()
            .MapBulkEndpoints()
            .MapTokenEndpoints()
            .MapSchedulerEndpoints();
        api.MapBulkExportEndpoints();

        endpoints.MapOpenApi().AllowAnonymous();
        if (endpoints is IApplicationBuilder app)
        {
            // Swagger UI (behind sign-in, like every page) reads the anonymous OpenAPI document.
            app.UseSwaggerUI(o =>
            {
                o.SwaggerEndpoint("/openapi/v1.json", "Moxxie API v1");
                o.RoutePrefix = "swagger";
                o.DocumentTitle = "Moxxie API";
            });
        }
        endpoints.MapMoxxieHealth();
        return endpoints;
    }
}
