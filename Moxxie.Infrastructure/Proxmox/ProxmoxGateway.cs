using System.Globalization;
using System.Text.Json;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox.Wire;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary><see cref="IProxmoxGateway"/> over <see cref="ProxmoxClient"/>: builds the /api2/json paths and maps wire DTOs
/// to Core records.</summary>
internal sealed partial class ProxmoxGateway(ProxmoxClient client) : IProxmoxGateway, IDisposable
{
    public string Connection => client.Connection;

    internal ProxmoxClient Client => client;

    public async Task<PveVersion> GetVersionAsync(CancellationToken ct) =>
        ProxmoxMapper.ToVersion(await client.GetDataAsync<VersionDto>("version", ct));

    public async Task<ClusterInfo> GetClusterStatusAsync(CancellationToken ct) =>
        ProxmoxMapper.ToClusterInfo(await client.GetDataAsync<List<ClusterStatusDto>>("cluster/status", ct));

    public async Task<ClusterResources> GetResourcesAsync(CancellationToken ct) =>
        ProxmoxMapper.ToResources(await client.GetDataAsync<List<ResourceDto>>("cluster/resources", ct));

    public async Task<IReadOnlyList<PveTask>> GetClusterTasksAsync(CancellationToken ct) =>
        [.. (await client.GetDataAsync<List<TaskDto>>("cluster/tasks", ct)).Where(t => !string.IsNullOrEmpty(t.Upid)).Select(t => ProxmoxMapper.ToTask(t))];

    public async Task<PveTask> GetTaskStatusAsync(string node, string upid, CancellationToken ct) =>
        ProxmoxMapper.ToTask(await client.GetDataAsync<TaskDto>($"nodes/{E(node)}/tasks/{E(upid)}/status", ct), upid);

    public async Task<TaskLog> GetTaskLogAsync(string node, string upid, int start, int limit, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/tasks/{E(upid)}/log?start={start.ToString(CultureInfo.InvariantCulture)}&limit={limit.ToString(CultureInfo.InvariantCulture)}";
        var root = await client.GetAsync(path, ct);
        var lines = client.Data<List<TaskLogLineDto>>(root, path);
        int? total = root.TryGetProperty("total", out var t) && t.ValueKind is JsonValueKind.Number or JsonValueKind.String
            && int.TryParse(PveJson.ScalarText(t), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        return ProxmoxMapper.ToTaskLog(lines, total);
    }

    public Task<string> PowerAsync(string node, int vmId, GuestType type, PowerAction action, CancellationToken ct) =>
        PowerAsync(node, vmId, type, action, new PowerOptions(), ct);

    public async Task<string> PowerAsync(string node, int vmId, GuestType type, PowerAction action, PowerOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        // PVE has no POST /nodes/{node}/lxc/{vmid}/status/reset (it would answer 501); say so without sending it.
        if (type == GuestType.Lxc && action == PowerAction.Reset)
            throw new ProxmoxException(Connection, null, "Containers cannot be reset; stop and start the container instead.");
        var path = $"nodes/{E(node)}/{TypePath(type)}/{vmId.ToString(CultureInfo.InvariantCulture)}/status/{action.ToString().ToLowerInvariant()}";
        var form = new PveParams()
            .Add("timeout", action is PowerAction.Stop or PowerAction.Shutdown or PowerAction.Reboot ? options.TimeoutSeconds : null)
            .Add("forceStop", action == PowerAction.Shutdown && options.ForceStop ? true : null)
            .Add("overrule-shutdown", action == PowerAction.Stop && options.OverruleShutdown ? true : null);
        var root = await client.PostAsync(path, form, ct);
        var upid = client.Data<string>(root, path);
        return string.IsNullOrEmpty(upid) ? throw new ProxmoxException(Connection, 200, $"PVE returned no task id for {path}.") : upid;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetGuestConfigAsync(string node, int vmId, GuestType type, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/{TypePath(type)}/{vmId.ToString(CultureInfo.InvariantCulture)}/config";
        var root = await client.GetAsync(path, ct);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new ProxmoxException(Connection, 200, $"PVE returned no data for {path}.");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in data.EnumerateObject())
            if (PveJson.ScalarText(p.Value) is { } v) result[p.Name] = v;
        return result;
    }

    /// <summary>GET /nodes/{node}/qemu?full=1: one call per node that tells paused VMs apart (qmpstatus).</summary>
    internal async Task<IReadOnlyList<NodeGuestDto>> GetNodeQemuAsync(string node, CancellationToken ct) =>
        await client.GetDataAsync<List<NodeGuestDto>>($"nodes/{E(node)}/qemu?full=1", ct);

    private static string TypePath(GuestType type) => type == GuestType.Lxc ? "lxc" : "qemu";

    private static string E(string segment) => Uri.EscapeDataString(segment);

    public void Dispose() => client.Dispose();
}
