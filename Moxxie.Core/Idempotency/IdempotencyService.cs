using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Persistence;

namespace Moxxie.Core.Idempotency;

/// <summary>What to do with a request carrying an Idempotency-Key.</summary>
public abstract record IdempotencyDecision
{
    private IdempotencyDecision() { }

    /// <summary>First time for this key: carry the request out, then <see cref="IdempotencyService.CompleteAsync"/> or <see cref="IdempotencyService.AbandonAsync"/>.</summary>
    public sealed record Proceed(long RecordId) : IdempotencyDecision;

    /// <summary>Same key, same request, already answered: send this answer again (nothing is executed).</summary>
    public sealed record Replay(int StatusCode, string? ContentType, string? Body) : IdempotencyDecision;

    /// <summary>Same key, a different request (method, path, query or body): refused.</summary>
    public sealed record Mismatch(string Method, string Path) : IdempotencyDecision;

    /// <summary>Same key, same request, the first one not answered yet: refused (the client retries later).</summary>
    public sealed record InFlight : IdempotencyDecision;
}

/// <summary>Idempotency keys of the API's POSTs (one row per user and key, see <see cref="IdempotencyRecord"/>): the first
/// request is carried out and its answer stored; the same key with the same request gets that answer again without a
/// second execution; the same key with a different request is refused; a duplicate arriving while the first is in flight
/// is refused. A key is forgotten after <see cref="Lifetime"/>, or at once when the first request failed in a way worth
/// retrying (the web layer calls <see cref="AbandonAsync"/>). The unique (user, key) index decides races between instances.
/// A request still unanswered after <see cref="InFlightTimeout"/> is taken to have died with its instance (a crash, a kill):
/// the same request with that key then takes the row over and is carried out, instead of answering 409 for a day.</summary>
public sealed class IdempotencyService(IMoxxieDbFactory dbFactory, TimeProvider time, ILogger<IdempotencyService>? logger = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How long a first request may stay unanswered before the same request may take its key over. An API POST
    /// answers within seconds (long work goes to tasks and bulk operations), so an older in-flight row has lost its owner.</summary>
    public static readonly TimeSpan InFlightTimeout = TimeSpan.FromMinutes(5);
    public const int MaxKeyLength = 255;
    public const int MaxPathLength = 1024;
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);

    private readonly ILogger _logger = logger ?? NullLogger<IdempotencyService>.Instance;
    private long _nextPurgeTicks;

    /// <summary>Why the header value is refused (1–255 visible ASCII characters), or null.</summary>
    public static string? KeyError(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "Must not be empty.";
        if (key.Length > MaxKeyLength) return $"At most {MaxKeyLength} characters.";
        if (key.Any(c => c is < '!' or > '~')) return "Visible ASCII characters only (no spaces), e.g. a UUID.";
        return null;
    }

    /// <summary>SHA-256 (hex) of "METHOD path?query" and the raw body: what "the same request" means.</summary>
    public static string Hash(string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(method.ToUpperInvariant() + " " + pathAndQuery + "\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public async Task<IdempotencyDecision> BeginAsync(string userId, string key, string method, string pathAndQuery, string requestHash, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (KeyError(key) is { } error) throw new ArgumentException(error, nameof(key));
        var now = time.GetUtcNow();
        await PurgeIfDueAsync(now, ct);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateAsync(ct);
            var existing = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
            if (existing is not null && existing.CreatedAt + Lifetime > now)
            {
                if (existing.RequestHash != requestHash) return new IdempotencyDecision.Mismatch(existing.Method, existing.Path);
                if (existing.StatusCode is { } status) return new IdempotencyDecision.Replay(status, existing.ContentType, existing.ResponseBody);
                if (existing.CreatedAt + InFlightTimeout > now) return new IdempotencyDecision.InFlight();
                // Its owner died: take the row over, unless another retry just did (the row's CreatedAt decides).
                var claimed = await db.IdempotencyRecords
                    .Where(r => r.Id == existing.Id && r.StatusCode == null && r.CreatedAt == existing.CreatedAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, now), ct);
                if (claimed == 1)
                {
                    _logger.LogWarning("Idempotency key of {Method} {Path} was unanswered since {Since}; taken over by a retry", existing.Method, existing.Path, existing.CreatedAt);
                    return new IdempotencyDecision.Proceed(existing.Id);
                }
                if (attempt < 2) continue;
                return new IdempotencyDecision.InFlight();
            }
            if (existing is not null) db.IdempotencyRecords.Remove(existing);   // expired: the key is free again
            var record = new IdempotencyRecord
            {
                UserId = userId, Key = key, RequestHash = requestHash, Method = method.ToUpperInvariant(),
                Path = pathAndQuery.Length <= MaxPathLength ? pathAndQuery : pathAndQuery[..MaxPathLength], CreatedAt = now,
            };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return new IdempotencyDecision.Proceed(record.Id);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // Another request with the same key got there first (unique index): read its row.
            }
        }
    }

    /// <summary>Stores the answer of the first request; later ones with the same key and request get it.</summary>
    public async Task CompleteAsync(long recordId, int statusCode, string? contentType, string? body)
    {
        await using var db = await dbFactory.CreateAsync(CancellationToken.None);
        var record = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Id == recordId);
        if (record is null) return;
        record.StatusCode = statusCode;
        record.ContentType = contentType;
        record.ResponseBody = body;
        record.CompletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Forgets the key (the first request failed in a way worth retrying with the same key).</summary>
    public async Task AbandonAsync(long recordId)
    {
        try
        {
            await using var db = await dbFactory.CreateAsync(CancellationToken.None);
            db.IdempotencyRecords.RemoveRange(await db.IdempotencyRecords.Where(r => r.Id == recordId).ToListAsync());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not free idempotency record {Id}; it expires after {Lifetime}", recordId, Lifetime);
        }
    }

    /// <summary>Deletes expired rows, at most every <see cref="PurgeEvery"/> per instance, in batches.</summary>
    private async Task PurgeIfDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = Interlocked.Read(ref _nextPurgeTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPurgeTicks, (now + PurgeEvery).UtcTicks, due) != due) return;
        try
        {
            var cutoff = now - Lifetime;
            await using var db = await dbFactory.CreateAsync(ct);
            var old = await db.IdempotencyRecords.Where(r => r.CreatedAt <= cutoff).OrderBy(r => r.CreatedAt).Take(1000).ToListAsync(ct);
            if (old.Count == 0) return;
            db.IdempotencyRecords.RemoveRange(old);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException)
        {
            _logger.LogWarning(ex, "Could not purge expired idempotency records; trying again later");
        }
    }
}
