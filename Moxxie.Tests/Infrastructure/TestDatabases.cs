using Microsoft.EntityFrameworkCore;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Tests.Infrastructure;

public enum DbProvider { Sqlite, Postgres }

/// <summary>A fresh database of either provider with a way to create contexts on it; deleted on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresTestDatabase? _postgres;
    private readonly string? _sqliteFile;

    private TestDatabase(DbProvider provider, PostgresTestDatabase? postgres, string? sqliteFile)
    {
        Provider = provider;
        _postgres = postgres;
        _sqliteFile = sqliteFile;
    }

    public DbProvider Provider { get; }

    public string ConnectionString => _postgres?.ConnectionString ?? $"Data Source={_sqliteFile};Pooling=False";

    public static async Task<TestDatabase> CreateAsync(DbProvider provider, CancellationToken ct = default) => provider switch
    {
        DbProvider.Postgres => new TestDatabase(provider, await PostgresTestDatabase.CreateAsync(ct), null),
        _ => new TestDatabase(provider, null, Path.Combine(Path.GetTempPath(), $"moxxie-test-{Guid.NewGuid():N}.db")),
    };

    public MoxxieDbContext CreateContext() => Provider == DbProvider.Postgres
        ? new PostgresMoxxieDbContext(new DbContextOptionsBuilder<PostgresMoxxieDbContext>().UseNpgsql(ConnectionString).Options)
        : new SqliteMoxxieDbContext(new DbContextOptionsBuilder<SqliteMoxxieDbContext>().UseSqlite(ConnectionString).Options);

    /// <summary>A database migrated the way the app migrates it.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(DbProvider provider, CancellationToken ct = default)
    {
        var db = await CreateAsync(provider, ct);
        await using var context = db.CreateContext();
        await context.Database.MigrateAsync(ct);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_sqliteFile is not null && File.Exists(_sqliteFile)) File.Delete(_sqliteFile);
    }
}
