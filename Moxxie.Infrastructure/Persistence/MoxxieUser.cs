using Microsoft.AspNetCore.Identity;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>A local Moxxie account (ASP.NET Core Identity). Roles: Admin, Operator, Viewer.</summary>
public sealed class MoxxieUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
