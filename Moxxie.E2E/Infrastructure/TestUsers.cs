using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Moxxie.E2E.Infrastructure;

/// <summary>Creates extra local accounts through the app's own Identity services (UserManager), as an admin would.</summary>
public static class TestUsers
{
    public static async Task CreateAsync(IServiceProvider services, string userName, string password, string role)
    {
        var userType = FindUserType();
        await using var scope = services.CreateAsyncScope();
        dynamic users = scope.ServiceProvider.GetRequiredService(typeof(UserManager<>).MakeGenericType(userType));
        dynamic user = Activator.CreateInstance(userType)!;
        user.UserName = userName;
        user.Email = $"{userName}@e2e.test";
        Check(await users.CreateAsync(user, password), $"create user {userName}");
        Check(await users.AddToRoleAsync(user, role), $"add {userName} to {role}");
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"{what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }

    /// <summary>The app's Identity user type (an IdentityUser subclass in a Moxxie assembly).</summary>
    private static Type FindUserType()
    {
        var candidates = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("Moxxie.", StringComparison.Ordinal) == true
                        && a.GetName().Name != "Moxxie.E2E")
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && IsIdentityUser(t))
            .ToList();
        return candidates.Count == 1
            ? candidates[0]
            : throw new InvalidOperationException(
                $"Expected one IdentityUser type in Moxxie's assemblies, found {candidates.Count}: {string.Join(", ", candidates)}");
    }

    private static bool IsIdentityUser(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IdentityUser<>))
                return true;
        return false;
    }
}
