using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moxxie.Core.Security;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Tests.Infrastructure;
using Moxxie.Web.Identity;
using Xunit;

namespace Moxxie.Tests.Integration.Identity;

/// <summary>Several Moxxie instances started at the same moment on one empty PostgreSQL database: each runs the start-up work the
/// app registers (migrations, the Data Protection key, tag palette, roles and the first admin) and every one of them starts,
/// leaving one set of roles, one admin account and one Data Protection key.</summary>
public sealed class ConcurrentStartTests
{
    private const int Instances = 4;
    private const string Password = "Concurrent-Start-Pa55word!";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instances_started_at_once_on_an_empty_postgres_database_all_start_with_one_set_of_roles_one_admin_and_one_key()
    {
        await using var database = await AppDatabase.CreateAsync(DbProvider.Postgres, Ct);
        var instances = Enumerable.Range(0, Instances).Select(_ => Build(database)).ToList();
        try
        {
            using var ready = new Barrier(Instances);
            var starts = instances.Select(services => Task.Run(async () =>
            {
                ready.SignalAndWait(Ct);
                foreach (var hosted in services.GetServices<IHostedService>())
                    await hosted.StartAsync(Ct);
            }, Ct)).ToList();
            var failures = new List<string>();
            foreach (var start in starts)
            {
                try { await start; }
                catch (Exception ex) when (ex is not OperationCanceledException) { failures.Add(ex.GetType().Name + ": " + ex.Message); }
            }
            Assert.True(failures.Count == 0, $"{failures.Count} of {Instances} instances did not start: " + string.Join(" | ", failures));

            await using var scope = instances[0].CreateAsyncScope();
            var roles = await scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>().Roles.Select(r => r.Name!).ToListAsync(Ct);
            Assert.Equal(MoxxieRoles.All.Order(StringComparer.Ordinal), roles.Order(StringComparer.Ordinal));
            var users = scope.ServiceProvider.GetRequiredService<UserManager<MoxxieUser>>();
            var admin = Assert.Single(await users.Users.ToListAsync(Ct));
            Assert.Equal(AdminBootstrapper.AdminUserName, admin.UserName);
            Assert.True(await users.IsInRoleAsync(admin, MoxxieRoles.Admin));
            Assert.True(await users.CheckPasswordAsync(admin, Password));

            // One Data Protection key, made at start under the start-up lock: every instance protects with it at once
            // (none makes its own on first use) and reads what the others protected.
            var secrets = await Task.WhenAll(instances.Select((services, i) => Task.Run(() => services.GetRequiredService<ISecretProtector>().Protect($"secret-{i}"), Ct)));
            for (var i = 0; i < Instances; i++)
                Assert.Equal($"secret-{i}", instances[(i + 1) % Instances].GetRequiredService<ISecretProtector>().Unprotect(secrets[i]));
            var db = scope.ServiceProvider.GetRequiredService<MoxxieDbContext>();
            Assert.Single(await db.DataProtectionKeys.ToListAsync(Ct));
        }
        finally
        {
            foreach (var services in instances) await services.DisposeAsync();
        }
    }

    /// <summary>One instance's services as the app registers persistence and identity (hosted services in the app's order).</summary>
    private static ServiceProvider Build(AppDatabase database)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(database.Settings)
            .AddInMemoryCollection(new Dictionary<string, string?> { [AdminBootstrapper.PasswordKey] = Password })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddMoxxiePersistence(configuration, Path.GetTempPath());
        services.AddMoxxieIdentity(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
