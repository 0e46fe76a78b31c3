namespace Moxxie.Core.Proxmox;

/// <summary>Nodes: status, services, network, rrd metrics, tasks.</summary>
public partial interface IProxmoxGateway
{
    /// <summary>GET /nodes.</summary>
    Task<IReadOnlyList<NodeSummary>> GetNodesAsync(CancellationToken ct);

    /// <summary>GET /nodes/{node}/status.</summary>
    Task<NodeStatusDetail> GetNodeStatusAsync(string node, CancellationToken ct);

    /// <summary>POST /nodes/{node}/status (reboot or shut down the node).</summary>
    Task NodeCommandAsync(string node, NodeCommand command, CancellationToken ct);

    /// <summary>GET /nodes/{node}/services.</summary>
    Task<IReadOnlyList<NodeService>> GetServicesAsync(string node, CancellationToken ct);

    /// <summary>POST /nodes/{node}/services/{service}/{start|stop|restart|reload}; returns the UPID.</summary>
    Task<string> ServiceActionAsync(string node, string service, ServiceAction action, CancellationToken ct);

    /// <summary>GET /nodes/{node}/network (type: bridge, bond, eth, vlan, any_bridge, …) with the pending diff ("changes").</summary>
    Task<NetworkConfig> GetNetworkAsync(string node, string? type, CancellationToken ct);

    /// <summary>POST /nodes/{node}/network: written to interfaces.new, pending until applied.</summary>
    Task CreateNetworkInterfaceAsync(string node, NetworkInterfaceSpec spec, CancellationToken ct);

    /// <summary>PUT /nodes/{node}/network/{iface}.</summary>
    Task UpdateNetworkInterfaceAsync(string node, NetworkInterfaceSpec spec, CancellationToken ct);

    /// <summary>DELETE /nodes/{node}/network/{iface}.</summary>
    Task DeleteNetworkInterfaceAsync(string node, string iface, CancellationToken ct);

    /// <summary>PUT /nodes/{node}/network: apply pending changes (ifreload); returns the UPID.</summary>
    Task<string> ApplyNetworkAsync(string node, CancellationToken ct);

    /// <summary>DELETE /nodes/{node}/network: drop pending changes.</summary>
    Task RevertNetworkAsync(string node, CancellationToken ct);

    /// <summary>GET /nodes/{node}/rrddata.</summary>
    Task<IReadOnlyList<RrdPoint>> GetNodeRrdAsync(string node, RrdTimeframe timeframe, RrdConsolidation cf, CancellationToken ct);

    /// <summary>GET /nodes/{node}/{qemu|lxc}/{vmid}/rrddata.</summary>
    Task<IReadOnlyList<RrdPoint>> GetGuestRrdAsync(string node, int vmId, GuestType type, RrdTimeframe timeframe, RrdConsolidation cf, CancellationToken ct);

    /// <summary>GET /nodes/{node}/tasks (newest first), optionally for one guest.</summary>
    Task<IReadOnlyList<PveTask>> GetNodeTasksAsync(string node, int? vmId, int limit, CancellationToken ct);

    /// <summary>DELETE /nodes/{node}/tasks/{upid}: stop a running task.</summary>
    /// <summary>GET /nodes/{node}/tasks?source=all&amp;vmid=&amp;since=&amp;typefilter=: running and finished tasks of one guest
    /// started at or after <paramref name="since"/> (PVE's task list; proves whether a POST started a task).</summary>
    Task<IReadOnlyList<PveTask>> GetGuestTasksSinceAsync(string node, int vmId, DateTimeOffset since, string? typeFilter, CancellationToken ct);

    /// <summary>GET /nodes/{node}/tasks?source=all&amp;since=&amp;limit=: every running and finished task of a node started at or
    /// after <paramref name="since"/>, newest first (one read answers the status of many tasks; see PveTaskWatch).</summary>
    Task<IReadOnlyList<PveTask>> GetNodeTasksSinceAsync(string node, DateTimeOffset since, int limit, CancellationToken ct);

    Task StopTaskAsync(string node, string upid, CancellationToken ct);
}
