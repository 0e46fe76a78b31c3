using Moxxie.Core.Inventory;

namespace Moxxie.Core.Deployments;

/// <summary>An immutable copy of a deployment with its event log (oldest first), for pages and the API.</summary>
public sealed record DeploymentView(
    string Id,
    string Connection,
    string Name,
    string Status,
    int SourceVmId,
    string SourceNode,
    string? SourceSnapshot,
    bool SourceIsTemplate,
    string TargetNode,
    bool NodeElected,
    string? Storage,
    bool FullClone,
    int? VmId,
    int? Cores,
    int? MemoryMb,
    string? CiUser,
    int SshKeyCount,
    string? IpConfig0,
    bool StartAfter,
    string? Upid,
    string? LastError,
    string RequestedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DeploymentEventView> Events)
{
    public bool Final => DeploymentStatus.IsFinal(Status);

    public static DeploymentView From(Deployment d, IEnumerable<DeploymentEvent> events)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new DeploymentView(d.Id, d.Connection, d.Name, d.Status, d.SourceVmId, d.SourceNode, d.SourceSnapshot, d.SourceIsTemplate,
            d.TargetNode, d.NodeElected, d.Storage, d.FullClone, d.VmId, d.Cores, d.MemoryMb, d.CiUser, DeploymentRules.KeyLines(d.SshKeys).Count,
            d.IpConfig0, d.StartAfter, d.Upid, d.LastError, d.RequestedBy, d.CreatedAt, d.UpdatedAt,
            [.. events.OrderBy(e => e.Id).Select(e => new DeploymentEventView(e.Id, e.Time, e.Level, e.Message, e.Upid))]);
    }
}

public sealed record DeploymentEventView(long Id, DateTimeOffset Time, string Level, string Message, string? Upid);

/// <summary>Published on the <see cref="InventoryHub"/> after every committed change of a deployment (status or a new event).</summary>
public sealed record DeploymentChanged(DeploymentView Deployment) : InventoryEvent;
