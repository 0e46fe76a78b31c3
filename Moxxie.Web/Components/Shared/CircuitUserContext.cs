using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Security;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Components.Shared;

/// <summary>
/// Per-circuit facts about the signed-in user that the interactive UI needs to act on their behalf. The source IP is
/// captured from the HTTP request while the page is prerendered and handed to the circuit as a (server-protected)
/// root component parameter, because IHttpContextAccessor must not be used during interactive rendering.
/// </summary>
public sealed class CircuitUserContext(AuthenticationStateProvider authentication)
{
    public string? SourceIp { get; private set; }

    /// <summary>Keeps the first known address (the circuit's own request).</summary>
    public void SetSourceIp(string? sourceIp) => SourceIp ??= string.IsNullOrWhiteSpace(sourceIp) ? null : sourceIp;

    public async Task<Actor> GetActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return ToActor(state.User, SourceIp);
    }

    /// <summary>The signed-in user's id (Identity's NameIdentifier), null when anonymous.</summary>
    public async Task<string?> GetUserIdAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.FindFirstValue(ClaimTypes.NameIdentifier);
    }

    public static Actor ToActor(ClaimsPrincipal user, string? sourceIp) => ActorFactory.FromPrincipal(user, sourceIp);
}
