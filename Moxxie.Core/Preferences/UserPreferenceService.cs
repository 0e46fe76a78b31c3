using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Persistence;

namespace Moxxie.Core.Preferences;

/// <summary>Per-user UI preferences stored in the database (one DbContext per operation), so a choice follows the user
/// across browsers and reloads.</summary>
public sealed class UserPreferenceService(IMoxxieDbFactory dbFactory, TimeProvider time)
{
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 4000;

    /// <summary>The stored value, or null when the user never chose one.</summary>
    public async Task<string?> GetAsync(string userId, string key, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        await using var db = await dbFactory.CreateAsync(ct);
        return await db.UserPreferences.AsNoTracking()
            .Where(p => p.UserId == userId && p.Key == key)
            .Select(p => p.Value)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Creates or replaces the value.</summary>
    public async Task SetAsync(string userId, string key, string value, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Length > MaxKeyLength) throw new ArgumentOutOfRangeException(nameof(key), $"At most {MaxKeyLength} characters.");
        if (value.Length > MaxValueLength) throw new ArgumentOutOfRangeException(nameof(value), $"At most {MaxValueLength} characters.");
        await using var db = await dbFactory.CreateAsync(ct);
        var row = await db.UserPreferences.FirstOrDefaultAsync(p => p.UserId == userId && p.Key == key, ct);
        if (row is null)
            db.UserPreferences.Add(new UserPreference { UserId = userId, Key = key, Value = value, UpdatedAt = time.GetUtcNow() });
        else
        {
            row.Value = value;
            row.UpdatedAt = time.GetUtcNow();
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (row is null)
        {
            // Another circuit of the same user inserted it first: last write wins.
            await using var retry = await dbFactory.CreateAsync(ct);
            var existing = await retry.UserPreferences.FirstAsync(p => p.UserId == userId && p.Key == key, ct);
            existing.Value = value;
            existing.UpdatedAt = time.GetUtcNow();
            await retry.SaveChangesAsync(ct);
        }
    }
}
