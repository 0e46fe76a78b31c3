namespace Moxxie.Core.Security;

public static class MoxxieRoles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Viewer];

    /// <summary>Authorization policy names (registered in Moxxie.Web).</summary>
    public const string CanOperatePolicy = "CanOperate";
    public const string AdminPolicy = "Admin";
}
