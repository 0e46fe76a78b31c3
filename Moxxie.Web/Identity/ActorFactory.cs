using System.Security.Claims;
using Moxxie.Core.Security;

namespace Moxxie.Web.Identity;

/// <summary>Turns the signed-in principal (cookie, bearer or personal API token) into Core's <see cref="Actor"/>.</summary>
public static class ActorFactory
{
    public static Actor FromPrincipal(ClaimsPrincipal principal, string? sourceIp)
    {
        var name = principal.Identity?.IsAuthenticated == true ? principal.Identity.Name ?? "unknown" : "anonymous";
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToArray();
        return new Actor(name, roles, sourceIp);
    }

    public static Actor FromHttpContext(HttpContext context) =>
        FromPrincipal(context.User, context.Connection.RemoteIpAddress?.ToString());
}
