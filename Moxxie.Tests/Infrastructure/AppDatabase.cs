using Microsoft.Data.Sqlite;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one app instance (or one test), in the form the app's configuration takes it:
/// SQLite = a temp data directory (Moxxie:DataDirectory, holding moxxie.db); Postgres = a new database on the
/// MOXXIE_TEST_PG server (ConnectionStrings:Moxxie). Removed on dispose. The app migrates it at start-up.
/// </summary>
public sealed class AppDatabase : IAsyncDisposable
{
    private readonly PostgresTestDatabase? _postgres;
    private readonly string? _directory;

    private AppDatabase(DbProvider provider, PostgresTestDatabase? postgres, string? directory)
    {
        Provider = provider;
        _postgres = postgres;
        _directory = directory;
    }

    public DbProvider Provider { get; }

    public static async Task<AppDatabase> CreateAsync(DbProvider provider, CancellationToken ct = default)
    {
        if (provider == DbProvider.Postgres)
            return new AppDatabase(provider, await PostgresTestDatabase.CreateAsync(ct), null);
        var directory = Path.Combine(Path.GetTempPath(), "moxxie-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new AppDatabase(provider, null, directory);
    }

    /// <summary>Configuration keys that point Moxxie at this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => Provider == DbProvider.Postgres
        ? new Dictionary<string, string?>
        {
            [PersistenceServiceCollectionExtensions.ProviderKey] = "Postgres",
            [PersistenceServiceCollectionExtensions.ConnectionStringKey] = _postgres!.ConnectionString,
        }
        : new Dictionary<string, string?>
        {
            [PersistenceServiceCollectionExtensions.ProviderKey] = "Sqlite",
            [PersistenceServiceCollectionExtensions.DataDirectoryKey] = _directory,
        };

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await _postgres.DisposeAsync();
        }
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { /* temp folder; a late handle must not fail the test */ }
        }
    }
}
