namespace Moxxie.Core.Proxmox;

/// <summary>
/// The port through which Core talks to one Proxmox VE connection (one cluster or standalone node).
/// Implemented in Moxxie.Infrastructure/Proxmox over HTTP; wire DTOs never leave Infrastructure.
/// Every call honours its CancellationToken and a timeout; failures surface as <see cref="ProxmoxException"/>
/// carrying PVE's own message.
/// </summary>
public partial interface IProxmoxGateway
{
    /// <summary>Name of the connection this gateway talks to.</summary>
    string Connection { get; }

    Task<PveVersion> GetVersionAsync(CancellationToken ct);

    Task<ClusterInfo> GetClusterStatusAsync(CancellationToken ct);

    /// <summary>GET /cluster/resources: guests (qemu and lxc), nodes and storage in one call.</summary>
    Task<ClusterResources> GetResourcesAsync(CancellationToken ct);

    /// <summary>GET /cluster/tasks: recent and running tasks of every node.</summary>
    Task<IReadOnlyList<PveTask>> GetClusterTasksAsync(CancellationToken ct);

    Task<PveTask> GetTaskStatusAsync(string node, string upid, CancellationToken ct);

    Task<TaskLog> GetTaskLogAsync(string node, string upid, int start, int limit, CancellationToken ct);

    /// <summary>POST /nodes/{node}/{qemu|lxc}/{vmid}/status/{action}; returns the UPID of the started task.
    /// Never retried: a second POST starts a second task.</summary>
    Task<string> PowerAsync(string node, int vmId, GuestType type, PowerAction action, CancellationToken ct);

    /// <summary>As <see cref="PowerAsync(string, int, GuestType, PowerAction, CancellationToken)"/> with PVE's options:
    /// timeout (stop, shutdown, reboot), forceStop (shutdown), overrule-shutdown (stop). Never retried.</summary>
    Task<string> PowerAsync(string node, int vmId, GuestType type, PowerAction action, PowerOptions options, CancellationToken ct);

    /// <summary>GET /nodes/{node}/qemu/{vmid}/config as raw key/value strings (numbers rendered invariantly).</summary>
    Task<IReadOnlyDictionary<string, string>> GetGuestConfigAsync(string node, int vmId, GuestType type, CancellationToken ct);
}
