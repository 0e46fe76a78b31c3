namespace Moxxie.Core.Audit;

/// <summary>One audited mutating operation (UI or API). Rows are only ever inserted, never updated or deleted.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public required string User { get; set; }
    public string? SourceIp { get; set; }
    /// <summary>Upper snake case, e.g. VM_START, VM_STOP, CONNECTION_CREATE, API_TOKEN_CREATE, LOGIN_FAILED.</summary>
    public required string Operation { get; set; }
    /// <summary>VM, NODE, CONNECTION, USER, API_TOKEN …</summary>
    public required string ResourceType { get; set; }
    public string? ResourceId { get; set; }
    public string? Node { get; set; }
    public string? Connection { get; set; }
    /// <summary>JSON object with the operation's parameters. Never contains secrets.</summary>
    public string? DetailsJson { get; set; }
    public bool Success { get; set; }
    public string? Error { get; set; }
    /// <summary>Seconds.</summary>
    public double Duration { get; set; }
    public string? Upid { get; set; }
}
