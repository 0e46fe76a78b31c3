using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Infrastructure.Audit;
using Moxxie.Infrastructure.Security;

namespace Moxxie.Infrastructure.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    public const string ProviderKey = "Moxxie:Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:Moxxie";
    public const string DataDirectoryKey = "Moxxie:DataDirectory";

    /// <summary>MoxxieDbContext factory for Sqlite (default, in Moxxie:DataDirectory) or Postgres (ConnectionStrings:Moxxie),
    /// IMoxxieDbFactory, IAuditLog, ISecretProtector (Data Protection, keys in the database), migrations at start.</summary>
    public static IServiceCollection AddMoxxiePersistence(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        var provider = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(provider) || provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var dataDirectory = Path.GetFullPath(configuration[DataDirectoryKey] is { Length: > 0 } d ? d : "data", contentRootPath);
            Directory.CreateDirectory(dataDirectory);
            var connectionString = $"Data Source={Path.Combine(dataDirectory, "moxxie.db")}";
            services.AddDbContextFactory<SqliteMoxxieDbContext>(o => o.UseSqlite(connectionString));
            services.AddSingleton<MoxxieDbFactory<SqliteMoxxieDbContext>>();
            services.AddSingleton<IDbContextFactory<MoxxieDbContext>>(sp => sp.GetRequiredService<MoxxieDbFactory<SqliteMoxxieDbContext>>());
            services.AddSingleton<IMoxxieDbFactory>(sp => sp.GetRequiredService<MoxxieDbFactory<SqliteMoxxieDbContext>>());
        }
        else if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = configuration[ConnectionStringKey];
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException($"{ConnectionStringKey} is required when {ProviderKey} is Postgres.");
            services.AddDbContextFactory<PostgresMoxxieDbContext>(o => o.UseNpgsql(connectionString));
            services.AddSingleton<MoxxieDbFactory<PostgresMoxxieDbContext>>();
            services.AddSingleton<IDbContextFactory<MoxxieDbContext>>(sp => sp.GetRequiredService<MoxxieDbFactory<PostgresMoxxieDbContext>>());
            services.AddSingleton<IMoxxieDbFactory>(sp => sp.GetRequiredService<MoxxieDbFactory<PostgresMoxxieDbContext>>());
        }
        else
        {
            throw new InvalidOperationException($"{ProviderKey} must be Sqlite or Postgres, got '{provider}'.");
        }

        // Identity's stores and Data Protection's key repository resolve the provider-neutral context from a scope.
        services.AddScoped<MoxxieDbContext>(sp => sp.GetRequiredService<IDbContextFactory<MoxxieDbContext>>().CreateDbContext());

        services.AddHostedService<DatabaseMigrator>();
        services.AddHostedService<TagPaletteLoader>();
        services.AddDataProtection().PersistKeysToDbContext<MoxxieDbContext>().SetApplicationName("Moxxie");
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton<IAuditLog, DbAuditLog>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
