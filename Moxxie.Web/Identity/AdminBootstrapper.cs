using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Security;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Web.Identity;

/// <summary>
/// At start (after migrations): makes sure the roles exist and, when there is no user at all, creates <c>admin</c>
/// (Admin) with Moxxie:Admin:Password or a generated password that is printed once to the console — not to the log.
/// One instance at a time (<see cref="StartupLock"/>): instances started together on an empty database all start, with one
/// set of roles and one admin.
/// </summary>
public sealed class AdminBootstrapper(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<AdminBootstrapper> logger) : IHostedService
{
    public const string AdminUserName = "admin";
    public const string PasswordKey = "Moxxie:Admin:Password";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var startup = await StartupLock.AcquireAsync(
            scope.ServiceProvider.GetRequiredService<IDbContextFactory<MoxxieDbContext>>(), cancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in MoxxieRoles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");

        var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
        if (users.Users.Any())
            return;

        var configured = configuration[PasswordKey];
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new MoxxieUser { UserName = AdminUserName, CreatedAt = time.GetUtcNow() };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
            throw new InvalidOperationException($"{PasswordKey} is not acceptable: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        Check(await users.AddToRoleAsync(admin, MoxxieRoles.Admin), "add admin to Admin");

        if (string.IsNullOrEmpty(configured))
        {
            // Console, not the logger: the password must not end up in log files. Printed this one time only.
            Console.WriteLine();
            Console.WriteLine("================================================================");
            Console.WriteLine(" Moxxie first start: created the administrator account");
            Console.WriteLine($"   username: {AdminUserName}");
            Console.WriteLine($"   password: {password}");
            Console.WriteLine(" Write it down now: it is not shown again. Change it after signing in.");
            Console.WriteLine("================================================================");
            Console.WriteLine();
        }
        logger.LogInformation("Created the initial administrator account {User}", AdminUserName);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>20 characters with every class Identity's default password rules ask for.</summary>
    public static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnopqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", symbols = "!@#$%*-_+=?";
        const string all = lower + upper + digits + symbols;
        var chars = new List<char>
        {
            lower[RandomNumberGenerator.GetInt32(lower.Length)], upper[RandomNumberGenerator.GetInt32(upper.Length)],
            digits[RandomNumberGenerator.GetInt32(digits.Length)], symbols[RandomNumberGenerator.GetInt32(symbols.Length)],
        };
        while (chars.Count < 20) chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        return new string(chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).ToArray());
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Cannot {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
