namespace Moxxie.Core.Clusters;

/// <summary>A PVE connection added in Settings. The token secret is stored encrypted (<see cref="Security.ISecretProtector"/>).</summary>
public sealed class ProxmoxConnectionEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    public string? TokenId { get; set; }
    public string? ProtectedTokenSecret { get; set; }
    public string? Fingerprint { get; set; }
    public bool InsecureSkipVerify { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
