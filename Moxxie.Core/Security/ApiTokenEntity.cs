namespace Moxxie.Core.Security;

/// <summary>A personal API token. Only a SHA-256 hash of the token is stored; the token is shown once at creation.</summary>
public sealed class ApiTokenEntity
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>First characters of the token, to recognise it in lists (e.g. "mxx_ab12").</summary>
    public required string Prefix { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
