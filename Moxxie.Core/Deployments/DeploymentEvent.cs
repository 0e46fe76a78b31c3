namespace Moxxie.Core.Deployments;

/// <summary>One line of a deployment's event log (seed 002's DeploymentEvent): level INFO|WARN|ERROR, the message and the
/// UPID of the PVE task it is about. Ordered by <see cref="Id"/> (insertion order).</summary>
public sealed class DeploymentEvent
{
    public long Id { get; set; }
    public required string DeploymentId { get; set; }
    public DateTimeOffset Time { get; set; }
    public string Level { get; set; } = DeploymentStatus.Info;
    public required string Message { get; set; }
    public string? Upid { get; set; }
}
