using Npgsql;

namespace Moxxie.Tests.Infrastructure;

/// <summary>A fresh PostgreSQL database on the server named by env MOXXIE_TEST_PG, dropped on dispose.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "MOXXIE_TEST_PG";

    private readonly string _serverConnectionString;

    private PostgresTestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"Set {EnvironmentVariable} to a PostgreSQL server connection string, e.g. 'Host=127.0.0.1;Port=54329;Username=postgres' (test.sh does).");

    public static async Task<PostgresTestDatabase> CreateAsync(CancellationToken ct = default)
    {
        var server = ServerConnectionString;
        var name = "moxxie_test_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(ct);
        return new PostgresTestDatabase(server, name);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
