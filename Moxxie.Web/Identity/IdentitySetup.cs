using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Moxxie.Core.Audit;
using Moxxie.Core.Security;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Web.Api;

namespace Moxxie.Web.Identity;

public static class IdentitySetup
{
    /// <summary>Default scheme: bearer when the request carries "Authorization: Bearer", else Identity's cookie.</summary>
    public const string SelectorScheme = "Moxxie";

    /// <summary>ASP.NET Core Identity (local accounts, roles Admin/Operator/Viewer, lockout), cookie auth for the UI,
    /// bearer + personal API tokens for /api/v1, authorization policies, first-start admin account.</summary>
    public static IServiceCollection AddMoxxieIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdentity<MoxxieUser, IdentityRole>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 8;
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<MoxxieDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/access-denied";
            o.Cookie.Name = "Moxxie.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Events.OnRedirectToLogin = context => ApiError.IsApiRequest(context.HttpContext)
                ? ApiError.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, ApiError.Unauthorized, "Authentication required: a valid bearer token or session.")
                : Redirect(context);
            o.Events.OnRedirectToAccessDenied = context => ApiError.IsApiRequest(context.HttpContext)
                ? ApiError.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, ApiError.Forbidden, "Your role does not allow this operation.")
                : Redirect(context);
        });

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectorScheme;
                o.DefaultAuthenticateScheme = SelectorScheme;
                o.DefaultChallengeScheme = SelectorScheme;
                o.DefaultForbidScheme = SelectorScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Cookie or bearer", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(MoxxieRoles.CanOperatePolicy, p => p.RequireRole(MoxxieRoles.Admin, MoxxieRoles.Operator))
            .AddPolicy(MoxxieRoles.AdminPolicy, p => p.RequireRole(MoxxieRoles.Admin))
            // Everything needs a signed-in user unless marked [AllowAnonymous] (login, health, OpenAPI). Static files are
            // served before authorization; blazor.web.js is an endpoint the login page also loads.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(c => c.User.Identity?.IsAuthenticated == true
                    || (c.Resource is HttpContext http && http.Request.Path.StartsWithSegments("/_framework")))
                .Build());

        services.AddAntiforgery();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<UserAdminService>();
        services.AddHostedService<AdminBootstrapper>();
        return services;
    }

    /// <summary>POST /account/login, /account/logout (form posts for the cookie), POST /api/v1/auth/token.</summary>
    public static IEndpointRouteBuilder MapMoxxieAccount(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/login", LoginAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        endpoints.MapPost("/account/logout", async (HttpContext http, IAntiforgery antiforgery, SignInManager<MoxxieUser> signIn) =>
        {
            await antiforgery.ValidateRequestAsync(http);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/login");
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        endpoints.MapPost("/api/v1/auth/token", IssueTokenAsync).AllowAnonymous().WithTags("Auth")
            .WithSummary("Exchange username and password for a bearer access token (1 hour).");
        return endpoints;
    }

    /// <summary>The login form's post. Antiforgery is validated explicitly so a failed check redirects back to the form
    /// (with a fresh token) instead of a bare 400.</summary>
    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, SignInManager<MoxxieUser> signIn,
        IAuditLog audit, TimeProvider time)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = LocalUrl.OrRoot(form["ReturnUrl"].ToString());
        if (!await antiforgery.IsRequestValidAsync(http))
            return Results.LocalRedirect(LoginUrl("expired", returnUrl));

        var userName = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        if (userName.Length == 0 || password.Length == 0)
            return Results.LocalRedirect(LoginUrl("invalid", returnUrl));

        var started = time.GetTimestamp();
        var result = await signIn.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
            return Results.LocalRedirect(returnUrl);

        var locked = result.IsLockedOut;
        await audit.WriteAsync(new AuditRecord(new Actor(userName, [], http.Connection.RemoteIpAddress?.ToString()),
            locked ? "LOGIN_LOCKED_OUT" : "LOGIN_FAILED", "USER", userName, false, time.GetElapsedTime(started),
            Error: locked ? "Account locked" : "Invalid username or password"), CancellationToken.None);
        return Results.LocalRedirect(LoginUrl(locked ? "locked" : "invalid", returnUrl));
    }

    private static string LoginUrl(string error, string returnUrl) =>
        $"/login?error={error}" + (returnUrl == "/" ? "" : "&ReturnUrl=" + Uri.EscapeDataString(returnUrl));

    private static async Task<Results<Ok<TokenResponse>, JsonHttpResult<ApiError>>> IssueTokenAsync(
        [FromBody] TokenRequest request, HttpContext http, UserManager<MoxxieUser> users, SignInManager<MoxxieUser> signIn,
        ApiTokenService tokens, IAuditLog audit, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            var details = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(request.Username)) details["username"] = ["Required."];
            if (string.IsNullOrEmpty(request.Password)) details["password"] = ["Required."];
            return Error(StatusCodes.Status400BadRequest, ApiError.ValidationError, "The request is invalid.", details);
        }
        var started = time.GetTimestamp();
        var user = await users.FindByNameAsync(request.Username.Trim());
        var check = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            await audit.WriteAsync(new AuditRecord(new Actor(request.Username.Trim(), [], http.Connection.RemoteIpAddress?.ToString()),
                check.IsLockedOut ? "LOGIN_LOCKED_OUT" : "LOGIN_FAILED", "USER", request.Username.Trim(), false, time.GetElapsedTime(started),
                Details: new { via = "api" }), CancellationToken.None);
            return Error(StatusCodes.Status401Unauthorized, ApiError.Unauthorized,
                check.IsLockedOut ? "This account is locked. Try again later." : "Invalid username or password.");
        }
        var issued = await tokens.IssueAccessTokenAsync(user!);
        return TypedResults.Ok(new TokenResponse(issued.AccessToken, "Bearer", issued.ExpiresIn));

        JsonHttpResult<ApiError> Error(int status, string code, string message, object? details = null) =>
            TypedResults.Json(new ApiError(code, message, status, time.GetUtcNow(), details), statusCode: status);
    }

    private static Task Redirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

public sealed record TokenRequest(
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password);

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
