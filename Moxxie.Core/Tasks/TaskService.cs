using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Tasks;

/// <summary>Recent and running PVE tasks across connections, and task logs.</summary>
public sealed class TaskService
{
    // TODO(H2): implement. Constructor dependencies: InventoryHub, IProxmoxConnections.
    /// <summary>Newest first. statusFilter: any of "running", "ok", "error" (comma separated in the API).</summary>
    public IReadOnlyList<TaskView> Recent(int limit, IReadOnlyCollection<string>? statusFilter = null) => throw new NotImplementedException();

    public Task<TaskLog> GetLogAsync(string connection, string node, string upid, int start, int limit, CancellationToken ct) => throw new NotImplementedException();
}

public sealed record TaskView(string Connection, PveTask Task);
