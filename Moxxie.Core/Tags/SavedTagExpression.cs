namespace Moxxie.Core.Tags;

/// <summary>A named tag expression saved from the VM list's filter: personal (<see cref="OwnerUserName"/> set) or
/// shared with everyone (null owner, saved by an Admin). <see cref="Expression"/> is stored normalized.</summary>
public sealed class SavedTagExpression
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Expression { get; set; }
    /// <summary>The user it belongs to; null when it is shown to everyone.</summary>
    public string? OwnerUserName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}
