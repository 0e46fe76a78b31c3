using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Moxxie.Infrastructure.Persistence;

/// <summary>
/// Start-up work every instance does but only one may do at a time (migrations, the roles, the first admin account). On
/// PostgreSQL a session advisory lock held on a connection of its own: instances started at the same moment on an empty
/// database take turns, and the later ones find the work done instead of failing on a unique index ("Role name 'Viewer'
/// is already taken"). SQLite needs none: one instance per database file.
/// </summary>
public static class StartupLock
{
    /// <summary>The pg_advisory_lock key: "MOXXIE" in ASCII.</summary>
    public const long Key = 0x4D4F58584945;

    /// <summary>How long an instance waits for another's migrations and seeding (slow on a loaded machine; each of their
    /// statements has its own timeout) before it gives up starting.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    public static async Task<IAsyncDisposable> AcquireAsync(IDbContextFactory<MoxxieDbContext> factory, CancellationToken ct)
    {
        string? connectionString;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (!db.Database.IsNpgsql()) return NotNeeded.Instance;
            connectionString = db.Database.GetConnectionString();
        }
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection) { CommandTimeout = (int)Wait.TotalSeconds };
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync(ct);
            return new Held(connection);
        }
        catch (NpgsqlException ex) when (ex.InnerException is TimeoutException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"Another Moxxie instance has been migrating or seeding this database for {Wait.TotalMinutes:0} minutes; not starting.", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", Key);
                await command.ExecuteNonQueryAsync();
            }
            finally
            {
                await connection.DisposeAsync();   // a pooled connection is reset (DISCARD ALL) on return: no lock outlives it
            }
        }
    }

    private sealed class NotNeeded : IAsyncDisposable
    {
        public static readonly NotNeeded Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
