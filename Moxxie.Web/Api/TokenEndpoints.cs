using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

/// <summary>The caller's personal API tokens. The secret is returned once, at creation.</summary>
public static class TokenEndpoints
{
    public static RouteGroupBuilder MapTokenEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("API tokens");
        group.MapGet("/", ListAsync).WithSummary("Your personal API tokens (never the secrets).");
        group.MapPost("/", CreateAsync).WithSummary("Create a personal API token; the token is shown only in this response.");
        group.MapDelete("/{id:int}", RevokeAsync).WithSummary("Revoke one of your tokens.");
        return api;
    }

    private static async Task<Ok<List<ApiTokenDto>>> ListAsync(ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
        TypedResults.Ok((await tokens.ListAsync(UserId(user), ct)).Select(ToDto).ToList());

    private static async Task<Created<CreatedTokenResponse>> CreateAsync(CreateTokenRequest request, HttpContext http, ApiTokenService tokens,
        TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(request.Name)) errors["name"] = "Required.";
        else if (request.Name.Trim().Length > 128) errors["name"] = "At most 128 characters.";
        if (request.ExpiresInDays is < 1 or > 3650) errors["expiresInDays"] = "Must be between 1 and 3650 days.";
        ApiQuery.ThrowIfAny(errors);

        DateTimeOffset? expires = request.ExpiresInDays is { } days ? time.GetUtcNow().AddDays(days) : null;
        var created = await tokens.CreatePersonalTokenAsync(UserId(http.User), ActorFactory.FromHttpContext(http), request.Name!, expires, ct);
        return TypedResults.Created($"/api/v1/tokens/{created.Token.Id}", new CreatedTokenResponse(created.Secret, ToDto(created.Token)));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ApiError>>> RevokeAsync(int id, HttpContext http, ApiTokenService tokens,
        TimeProvider time, CancellationToken ct) =>
        await tokens.RevokeAsync(UserId(http.User), ActorFactory.FromHttpContext(http), id, ct)
            ? TypedResults.NoContent()
            : ApiErrorMapping.Error(time, StatusCodes.Status404NotFound, ApiError.NotFound, $"You have no API token {id}.");

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Authenticated user without an id claim.");

    private static ApiTokenDto ToDto(PersonalToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}
