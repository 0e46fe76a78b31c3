namespace Moxxie.Core.Security;

/// <summary>Who is acting: the signed-in user (UI cookie, bearer token or personal API token) and where from.</summary>
public sealed record Actor(string UserName, IReadOnlyCollection<string> Roles, string? SourceIp)
{
    public bool IsAdmin => Roles.Contains(MoxxieRoles.Admin);

    /// <summary>Admins and Operators may change things; Viewers only look.</summary>
    public bool CanOperate => IsAdmin || Roles.Contains(MoxxieRoles.Operator);

    public static Actor System { get; } = new("system", [MoxxieRoles.Admin], null);
}
