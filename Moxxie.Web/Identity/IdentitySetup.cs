namespace Moxxie.Web.Identity;

public static class IdentitySetup
{
    /// <summary>ASP.NET Core Identity (local accounts, roles Admin/Operator/Viewer, lockout), cookie auth for the UI,
    /// bearer + personal API tokens for /api/v1, authorization policies, first-start admin account.</summary>
    public static IServiceCollection AddMoxxieIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        // TODO(H3)
        return services;
    }

    /// <summary>POST /account/login, /account/logout (form posts for the cookie), POST /api/v1/auth/token.</summary>
    public static IEndpointRouteBuilder MapMoxxieAccount(this IEndpointRouteBuilder endpoints)
    {
        // TODO(H3)
        return endpoints;
    }
}
