namespace Moxxie.Core.Idempotency;

/// <summary>One POST made with an <c>Idempotency-Key</c>, keyed by (user, key): the hash of what was asked (method, path and
/// query, body) and, once carried out, the answer (status, content type, body as stored by the web layer). A row without
/// a status is a request still in flight. Rows older than <see cref="IdempotencyService.Lifetime"/> no longer count.</summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 (hex) of method, path and query, and the raw body.</summary>
    public required string RequestHash { get; set; }
    public required string Method { get; set; }
    /// <summary>Path and query (truncated), for whoever reads the table.</summary>
    public required string Path { get; set; }
    /// <summary>Null while the first request is in flight.</summary>
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    /// <summary>The first answer's body, as the web layer stored it (protected: it may hold a secret shown once).</summary>
    public string? ResponseBody { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
