using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Moxxie.Infrastructure.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>MoxxieDbContext factory for Sqlite (default, in Moxxie:DataDirectory) or Postgres (ConnectionStrings:Moxxie),
    /// IMoxxieDbFactory, IAuditLog, ISecretProtector (Data Protection, keys in the database), migrations at start.</summary>
    public static IServiceCollection AddMoxxiePersistence(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        // TODO(H3)
        return services;
    }
}
