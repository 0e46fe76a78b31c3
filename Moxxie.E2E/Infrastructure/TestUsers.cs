using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.E2E.Infrastructure;

/// <summary>Creates extra local accounts through the app's own Identity services (UserManager), as an admin would.</summary>
public static class TestUsers
{
    public static async Task CreateAsync(IServiceProvider services, string userName, string password, string role)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var user = new MoxxieUser { UserName = userName, Email = $"{userName}@e2e.test" };
        Check(await users.CreateAsync(user, password), $"create user {userName}");
        Check(await users.AddToRoleAsync(user, role), $"add {userName} to {role}");
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"{what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}
