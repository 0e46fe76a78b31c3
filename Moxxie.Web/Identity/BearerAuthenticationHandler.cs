using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Moxxie.Web.Api;

namespace Moxxie.Web.Identity;

/// <summary>"Authorization: Bearer …" with either an access token from POST /api/v1/auth/token or a personal API token.
/// Challenges and forbids answer in the API's JSON error shape.</summary>
public sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var credential = header["Bearer ".Length..].Trim();
        if (credential.Length == 0)
            return AuthenticateResult.Fail("Empty bearer token.");
        var principal = await tokens.AuthenticateAsync(credential, Scheme.Name, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("Invalid, expired or revoked token.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiError.WriteAsync(Context, StatusCodes.Status401Unauthorized, ApiError.Unauthorized, "Authentication required: a valid bearer token or session.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiError.WriteAsync(Context, StatusCodes.Status403Forbidden, ApiError.Forbidden, "Your role does not allow this operation.");
}
