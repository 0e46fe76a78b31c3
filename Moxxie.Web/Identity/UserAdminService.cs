using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Web.Identity;

/// <summary>Settings → Users (Admin only): list, create with a role, change role, reset password, unlock.
/// Every change is audited (USER_CREATE, USER_ROLE_CHANGE, USER_PASSWORD_RESET, USER_UNLOCK). Each operation uses its own
/// scope (fresh UserManager and DbContext): a circuit lives long and users change meanwhile (sign-ins, lockouts), so a
/// context kept across operations would hold stale rows and fail on their concurrency stamps.</summary>
public sealed class UserAdminService(IServiceScopeFactory scopes, IAuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(Actor actor, CancellationToken ct)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var now = time.GetUtcNow();
        var result = new List<UserSummary>(all.Count);
        foreach (var user in all)
        {
            var roles = await users.GetRolesAsync(user);
            var locked = user.LockoutEnd is { } end && end > now;
            result.Add(new UserSummary(user.Id, user.UserName ?? "", roles.FirstOrDefault() ?? "", locked, locked ? user.LockoutEnd : null, user.AccessFailedCount));
        }
        return result;
    }

    public async Task CreateAsync(Actor actor, string userName, string password, string role, CancellationToken ct)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var started = Stopwatch.GetTimestamp();
        userName = (userName ?? "").Trim();
        var errors = new Dictionary<string, string>();
        if (userName.Length is < 2 or > 64) errors["userName"] = "User names have 2 to 64 characters.";
        if (!MoxxieRoles.All.Contains(role)) errors["role"] = $"Role must be one of {string.Join(", ", MoxxieRoles.All)}.";
        if (errors.Count == 0 && await users.FindByNameAsync(userName) is not null) errors["userName"] = $"User '{userName}' already exists.";
        if (errors.Count > 0) throw new ValidationException("The user could not be created.", errors);

        var user = new MoxxieUser { UserName = userName, CreatedAt = time.GetUtcNow() };
        Check(await users.CreateAsync(user, password ?? ""), "password");
        Check(await users.AddToRoleAsync(user, role), "role");
        await AuditAsync(actor, "USER_CREATE", user, started, new { userName, role });
    }

    public async Task SetRoleAsync(Actor actor, string userId, string role, CancellationToken ct)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var started = Stopwatch.GetTimestamp();
        if (!MoxxieRoles.All.Contains(role))
            throw ValidationException.For("role", $"Role must be one of {string.Join(", ", MoxxieRoles.All)}.");
        var user = await FindAsync(users, userId);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(MoxxieRoles.Admin) && role != MoxxieRoles.Admin
            && (await users.GetUsersInRoleAsync(MoxxieRoles.Admin)).Count <= 1)
            throw ValidationException.For("role", "The last administrator cannot lose the Admin role.");
        Check(await users.RemoveFromRolesAsync(user, current), "role");
        Check(await users.AddToRoleAsync(user, role), "role");
        await users.UpdateSecurityStampAsync(user); // existing sessions and bearer tokens pick up the new role on next sign-in
        await AuditAsync(actor, "USER_ROLE_CHANGE", user, started, new { from = current, to = role });
    }

    public async Task ResetPasswordAsync(Actor actor, string userId, string newPassword, CancellationToken ct)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var started = Stopwatch.GetTimestamp();
        var user = await FindAsync(users, userId);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        Check(await users.ResetPasswordAsync(user, token, newPassword ?? ""), "password");
        await AuditAsync(actor, "USER_PASSWORD_RESET", user, started, null);
    }

    public async Task UnlockAsync(Actor actor, string userId, CancellationToken ct)
    {
        RequireAdmin(actor);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        var started = Stopwatch.GetTimestamp();
        var user = await FindAsync(users, userId);
        Check(await users.SetLockoutEndDateAsync(user, null), "lockout");
        Check(await users.ResetAccessFailedCountAsync(user), "lockout");
        await AuditAsync(actor, "USER_UNLOCK", user, started, null);
    }

    private static async Task<MoxxieUser> FindAsync(UserManager<MoxxieUser> users, string userId) =>
        await users.FindByIdAsync(userId) ?? throw new KeyNotFoundException($"User {userId} not found.");

    private Task AuditAsync(Actor actor, string operation, MoxxieUser user, long started, object? details) =>
        audit.WriteAsync(new AuditRecord(actor, operation, "USER", user.UserName, true, Stopwatch.GetElapsedTime(started), Details: details), CancellationToken.None);

    private static void RequireAdmin(Actor actor)
    {
        if (!actor.IsAdmin)
            throw new ForbiddenException("Only administrators manage users.");
    }

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
            throw new ValidationException(string.Join(" ", result.Errors.Select(e => e.Description)),
                new Dictionary<string, string> { [field] = string.Join(" ", result.Errors.Select(e => e.Description)) });
    }
}

public sealed record UserSummary(string Id, string UserName, string Role, bool LockedOut, DateTimeOffset? LockoutEnd, int FailedAttempts);
