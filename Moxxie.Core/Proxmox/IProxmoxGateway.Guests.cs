namespace Moxxie.Core.Proxmox;

/// <summary>Guests: lists, status, typed config, lifecycle, snapshots, migration, console tickets.</summary>
public partial interface IProxmoxGateway
{
    /// <summary>GET /nodes/{node}/{qemu|lxc}.</summary>
    Task<IReadOnlyList<NodeGuest>> GetNodeGuestsAsync(string node, GuestType type, CancellationToken ct);

    /// <summary>GET /nodes/{node}/{qemu|lxc}/{vmid}/status/current.</summary>
    Task<GuestStatusDetail> GetGuestStatusAsync(string node, int vmId, GuestType type, CancellationToken ct);

    /// <summary>GET …/config parsed into <see cref="GuestConfig"/>; with <paramref name="includePending"/> also GET …/pending.</summary>
    Task<GuestConfig> GetGuestConfigDetailAsync(string node, int vmId, GuestType type, bool includePending, CancellationToken ct);

    /// <summary>GET /nodes/{node}/{qemu|lxc}/{vmid}/pending.</summary>
    Task<IReadOnlyList<PendingChange>> GetPendingAsync(string node, int vmId, GuestType type, CancellationToken ct);

    /// <summary>PUT …/config: synchronous update (qemu and lxc).</summary>
    Task UpdateGuestConfigAsync(string node, int vmId, GuestType type, GuestConfigUpdate update, CancellationToken ct);

    /// <summary>POST /nodes/{node}/qemu/{vmid}/config: asynchronous update; returns the UPID (null when PVE finished at once).</summary>
    Task<string?> UpdateVmConfigAsync(string node, int vmId, GuestConfigUpdate update, CancellationToken ct);

    /// <summary>POST /nodes/{node}/qemu; returns the UPID.</summary>
    Task<string> CreateVmAsync(string node, CreateVmRequest request, CancellationToken ct);

    /// <summary>POST /nodes/{node}/qemu/{vmid}/clone; returns the UPID.</summary>
    Task<string> CloneVmAsync(string node, int vmId, CloneVmRequest request, CancellationToken ct);

    /// <summary>DELETE /nodes/{node}/{qemu|lxc}/{vmid}; returns the UPID.</summary>
    Task<string> DeleteGuestAsync(string node, int vmId, GuestType type, DeleteGuestOptions options, CancellationToken ct);

    /// <summary>PUT /nodes/{node}/qemu/{vmid}/resize (size "+10G" or absolute "64G"); returns the UPID.</summary>
    Task<string?> ResizeDiskAsync(string node, int vmId, string disk, string size, CancellationToken ct);

    /// <summary>GET …/snapshot.</summary>
    Task<IReadOnlyList<Snapshot>> GetSnapshotsAsync(string node, int vmId, GuestType type, CancellationToken ct);

    /// <summary>POST …/snapshot; returns the UPID.</summary>
    Task<string> CreateSnapshotAsync(string node, int vmId, GuestType type, SnapshotRequest request, CancellationToken ct);

    /// <summary>DELETE …/snapshot/{snapname}; returns the UPID.</summary>
    Task<string> DeleteSnapshotAsync(string node, int vmId, GuestType type, string name, bool force, CancellationToken ct);

    /// <summary>POST …/snapshot/{snapname}/rollback; returns the UPID.</summary>
    Task<string> RollbackSnapshotAsync(string node, int vmId, GuestType type, string name, bool start, CancellationToken ct);

    /// <summary>GET …/snapshot/{snapname}/config as raw key/value strings.</summary>
    Task<IReadOnlyDictionary<string, string>> GetSnapshotConfigAsync(string node, int vmId, GuestType type, string name, CancellationToken ct);

    /// <summary>PUT …/snapshot/{snapname}/config (description).</summary>
    Task UpdateSnapshotDescriptionAsync(string node, int vmId, GuestType type, string name, string description, CancellationToken ct);

    /// <summary>GET /nodes/{node}/qemu/{vmid}/migrate.</summary>
    Task<MigratePrecondition> GetMigratePreconditionAsync(string node, int vmId, string? target, CancellationToken ct);

    /// <summary>POST /nodes/{node}/qemu/{vmid}/migrate; returns the UPID.</summary>
    Task<string> MigrateVmAsync(string node, int vmId, MigrateRequest request, CancellationToken ct);

    /// <summary>POST /nodes/{node}/{qemu|lxc}/{vmid}/vncproxy with websocket=1.</summary>
    Task<VncProxyTicket> CreateVncProxyAsync(string node, int vmId, GuestType type, CancellationToken ct);

    /// <summary>GET …/vncwebsocket without upgrade: PVE checks the ticket and echoes the port.</summary>
    Task<int> CheckVncWebSocketAsync(string node, int vmId, GuestType type, int port, string ticket, CancellationToken ct);

    /// <summary>Absolute wss:// URL of …/vncwebsocket for the given ticket (for the browser or a relay).</summary>
    Uri VncWebSocketUrl(string node, int vmId, GuestType type, int port, string ticket);
}
