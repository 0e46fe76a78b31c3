using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Infrastructure.Persistence;

namespace Moxxie.Web.Identity;

public sealed record IssuedAccessToken(string AccessToken, int ExpiresIn);

public sealed record PersonalToken(int Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed record CreatedPersonalToken(PersonalToken Token, string Secret);

/// <summary>
/// API credentials. Short-lived access tokens are Data Protection payloads (user id + security stamp, time limited);
/// personal tokens (<c>mxx_…</c>) are random, stored only as a SHA-256 hash, shown once and revocable.
/// </summary>
public sealed class ApiTokenService(
    IDataProtectionProvider dataProtection,
    IMoxxieDbFactory dbFactory,
    UserManager<MoxxieUser> users,
    IUserClaimsPrincipalFactory<MoxxieUser> principals,
    IAuditLog audit,
    TimeProvider time)
{
    public const string PersonalPrefix = "mxx_";
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromHours(1);

    private readonly ITimeLimitedDataProtector _access =
        dataProtection.CreateProtector("Moxxie.ApiAccessToken").ToTimeLimitedDataProtector();

    public async Task<IssuedAccessToken> IssueAccessTokenAsync(MoxxieUser user)
    {
        var stamp = await users.GetSecurityStampAsync(user);
        var token = _access.Protect($"{user.Id}\n{stamp}", time.GetUtcNow() + AccessTokenLifetime);
        return new IssuedAccessToken(token, (int)AccessTokenLifetime.TotalSeconds);
    }

    /// <summary>The principal for a bearer credential, or null when it is unknown, expired, revoked or stale.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(string credential, string scheme, CancellationToken ct)
    {
        MoxxieUser? user;
        if (credential.StartsWith(PersonalPrefix, StringComparison.Ordinal))
        {
            var hash = Hash(credential);
            await using var db = await dbFactory.CreateAsync(ct);
            var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
            var now = time.GetUtcNow();
            if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } exp && exp <= now))
                return null;
            if (row.LastUsedAt is null || now - row.LastUsedAt.Value > TimeSpan.FromMinutes(1))
            {
                row.LastUsedAt = now;
                await db.SaveChangesAsync(ct);
            }
            user = await users.FindByIdAsync(row.UserId);
        }
        else
        {
            string payload;
            try
            {
                payload = _access.Unprotect(credential, out var expiration);
                if (expiration <= time.GetUtcNow()) return null;
            }
            catch (CryptographicException)
            {
                return null;
            }
            var parts = payload.Split('\n');
            if (parts.Length != 2) return null;
            user = await users.FindByIdAsync(parts[0]);
            if (user is null || await users.GetSecurityStampAsync(user) != parts[1]) return null;
        }
        if (user is null || await users.IsLockedOutAsync(user)) return null;
        var principal = await principals.CreateAsync(user);
        return new ClaimsPrincipal(new ClaimsIdentity(principal.Claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public async Task<CreatedPersonalToken> CreatePersonalTokenAsync(string userId, Actor actor, string name, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        var secret = PersonalPrefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var row = new ApiTokenEntity
        {
            UserId = userId,
            Name = name.Trim(),
            Prefix = secret[..8],
            TokenHash = Hash(secret),
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            db.ApiTokens.Add(row);
            await db.SaveChangesAsync(ct);
        }
        await audit.WriteAsync(new AuditRecord(actor, "API_TOKEN_CREATE", "API_TOKEN", row.Id.ToString(), true, TimeSpan.Zero,
            Details: new { name = row.Name, prefix = row.Prefix }), ct);
        return new CreatedPersonalToken(ToDto(row), secret);
    }

    public async Task<IReadOnlyList<PersonalToken>> ListAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    /// <summary>False when the token does not exist or belongs to someone else.</summary>
    public async Task<bool> RevokeAsync(string userId, Actor actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (row is null) return false;
        row.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(new AuditRecord(actor, "API_TOKEN_REVOKE", "API_TOKEN", id.ToString(), true, TimeSpan.Zero,
            Details: new { name = row.Name, prefix = row.Prefix }), ct);
        return true;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static PersonalToken ToDto(ApiTokenEntity t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}
