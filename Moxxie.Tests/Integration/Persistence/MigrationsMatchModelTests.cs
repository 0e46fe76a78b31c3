using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Moxxie.Tests.Infrastructure;
using Xunit;

namespace Moxxie.Tests.Integration.Persistence;

/// <summary>The hand-written migrations must produce exactly the schema EF derives from the model.</summary>
public sealed class MigrationsMatchModelTests
{
    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Migrate_produces_the_same_schema_as_EnsureCreated(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var migrated = await TestDatabase.CreateAsync(provider, ct);
        await using var created = await TestDatabase.CreateAsync(provider, ct);
        await using (var a = migrated.CreateContext()) await a.Database.MigrateAsync(ct);
        await using (var b = created.CreateContext()) await b.Database.EnsureCreatedAsync(ct);

        var expected = await DescribeAsync(created, ct);
        var actual = await DescribeAsync(migrated, ct);

        Assert.Contains(expected, l => l.StartsWith("column AspNetUsers.UserName", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("column ApiTokens.TokenHash", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("column UserPreferences.Value", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.StartsWith("index ", StringComparison.Ordinal) && l.Contains("ProxmoxConnections", StringComparison.Ordinal));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(DbProvider.Sqlite)]
    [InlineData(DbProvider.Postgres)]
    public async Task Migrating_twice_is_a_no_op(DbProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateMigratedAsync(provider, ct);
        await using var context = db.CreateContext();
        Assert.Empty(await context.Database.GetPendingMigrationsAsync(ct));
        await context.Database.MigrateAsync(ct);
        Assert.Equal(HandWrittenMigrations(context.GetType()), (await context.Database.GetAppliedMigrationsAsync(ct)).Order());
    }

    /// <summary>Ids of the [Migration] classes written for <paramref name="contextType"/>'s provider, in order.</summary>
    internal static List<string> HandWrittenMigrations(Type contextType) =>
        [.. typeof(Moxxie.Infrastructure.Persistence.MoxxieDbContext).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute), false)
                .Cast<Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute>().Any(a => a.ContextType == contextType))
            .SelectMany(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false)
                .Cast<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>())
            .Select(a => a.Id).Order()];

    private static async Task<List<string>> DescribeAsync(TestDatabase db, CancellationToken ct)
    {
        await using var context = db.CreateContext();
        var connection = context.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        var lines = new List<string>();
        if (db.Provider == DbProvider.Postgres)
        {
            lines.AddRange(await QueryAsync(connection, """
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '-')
                       || ' nullable=' || is_nullable || ' identity=' || is_identity
                FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
                """, ct));
            lines.AddRange(await QueryAsync(connection, """
                SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
                """, ct));
            lines.AddRange(await QueryAsync(connection, """
                SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
                WHERE connamespace = 'public'::regnamespace AND conname NOT LIKE '%EFMigrationsHistory%'
                """, ct));
        }
        else
        {
            var tables = await QueryAsync(connection, """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('__EFMigrationsHistory', 'sqlite_sequence', '__EFMigrationsLock')
                """, ct);
            foreach (var table in tables)
            {
                lines.Add("table " + table);
                lines.AddRange(await QueryAsync(connection,
                    $"SELECT 'column {table}.' || name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{table}')", ct));
                lines.AddRange(await QueryAsync(connection,
                    $"SELECT 'fk {table}.' || \"from\" || ' -> ' || \"table\" || '.' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('{table}')", ct));
                lines.AddRange(await QueryAsync(connection, $"""
                    SELECT 'index ' || il.name || ' on {table} unique=' || il."unique" || ' (' || (SELECT group_concat(ii.name, ',') FROM pragma_index_info(il.name) ii) || ')'
                    FROM pragma_index_list('{table}') il
                    """, ct));
            }
            lines.AddRange(await QueryAsync(connection, """
                SELECT 'autoincrement ' || name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'
                """, ct));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> QueryAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) result.Add(reader.GetString(0));
        return result;
    }
}
