using System.Globalization;
using System.Text.Json;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox.Wire;

namespace Moxxie.Infrastructure.Proxmox;

internal sealed partial class ProxmoxGateway
{
    public async Task<IReadOnlyList<NodeSummary>> GetNodesAsync(CancellationToken ct) =>
        [.. (await ListAsync<NodeListDto>("nodes", ct)).Where(n => !string.IsNullOrEmpty(n.Node)).Select(ProxmoxMapper.ToNodeSummary).OrderBy(n => n.Node, StringComparer.Ordinal)];

    public async Task<NodeStatusDetail> GetNodeStatusAsync(string node, CancellationToken ct) =>
        ProxmoxMapper.ToNodeStatus(node, await client.GetDataAsync<NodeStatusDto>($"nodes/{E(node)}/status", ct));

    public async Task NodeCommandAsync(string node, NodeCommand command, CancellationToken ct) =>
        await client.PostAsync($"nodes/{E(node)}/status", new PveParams().Add("command", Lower(command)), ct);

    public async Task<IReadOnlyList<NodeService>> GetServicesAsync(string node, CancellationToken ct) =>
        [.. (await ListAsync<ServiceDto>($"nodes/{E(node)}/services", ct)).Select(ProxmoxMapper.ToService).OrderBy(s => s.Service, StringComparer.Ordinal)];

    public async Task<string> ServiceActionAsync(string node, string service, ServiceAction action, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/services/{E(service)}/{Lower(action)}";
        return Upid(await client.PostAsync(path, [], ct), path);
    }

    public async Task<NetworkConfig> GetNetworkAsync(string node, string? type, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/network{new PveParams().Add("type", type).Query()}";
        var root = await client.GetAsync(path, ct);
        var interfaces = client.Data<List<NetworkIfaceDto>>(root, path);
        var changes = root.TryGetProperty("changes", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        return new NetworkConfig([.. interfaces.Select(ProxmoxMapper.ToInterface).OrderBy(i => i.Iface, StringComparer.Ordinal)],
            string.IsNullOrEmpty(changes) ? null : changes);
    }

    public async Task CreateNetworkInterfaceAsync(string node, NetworkInterfaceSpec spec, CancellationToken ct) =>
        await client.PostAsync($"nodes/{E(node)}/network", InterfaceParams(spec, update: false), ct);

    public async Task UpdateNetworkInterfaceAsync(string node, NetworkInterfaceSpec spec, CancellationToken ct) =>
        await client.PutAsync($"nodes/{E(node)}/network/{E(spec.Iface)}", InterfaceParams(spec, update: true), ct);

    public async Task DeleteNetworkInterfaceAsync(string node, string iface, CancellationToken ct) =>
        await client.DeleteAsync($"nodes/{E(node)}/network/{E(iface)}", ct);

    public async Task<string> ApplyNetworkAsync(string node, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/network";
        return Upid(await client.PutAsync(path, [], ct), path);
    }

    public async Task RevertNetworkAsync(string node, CancellationToken ct) => await client.DeleteAsync($"nodes/{E(node)}/network", ct);

    /// <summary>Schema: iface is a path parameter on update (PVE takes it from the URL), type is required on both.</summary>
    private static PveParams InterfaceParams(NetworkInterfaceSpec s, bool update)
    {
        var p = new PveParams();
        if (!update) p.Add("iface", s.Iface);
        p.Add("type", s.Type)
            .Add("cidr", s.Cidr).Add("gateway", s.Gateway).Add("cidr6", s.Cidr6).Add("gateway6", s.Gateway6)
            .Add("autostart", s.Autostart)
            .AddList("bridge_ports", s.BridgePorts, ' ')
            .Add("bridge_vlan_aware", s.BridgeVlanAware)
            .Add("bridge_vids", s.BridgeVids)
            .AddList("slaves", s.Slaves, ' ')
            .Add("bond_mode", s.BondMode)
            .Add("vlan-raw-device", s.VlanRawDevice)
            .Add("vlan-id", s.VlanId)
            .Add("mtu", s.Mtu)
            .Add("comments", s.Comments);
        if (update) p.AddList("delete", s.Delete);
        return p;
    }

    public async Task<IReadOnlyList<RrdPoint>> GetNodeRrdAsync(string node, RrdTimeframe timeframe, RrdConsolidation cf, CancellationToken ct) =>
        ProxmoxMapper.ToRrd(await DataElementAsync(
            $"nodes/{E(node)}/rrddata{new PveParams().Add("timeframe", Lower(timeframe)).Add("cf", Cf(cf)).Query()}", ct));

    public async Task<IReadOnlyList<RrdPoint>> GetGuestRrdAsync(string node, int vmId, GuestType type, RrdTimeframe timeframe, RrdConsolidation cf,
        CancellationToken ct) =>
        ProxmoxMapper.ToRrd(await DataElementAsync(
            $"{GuestPath(node, type, vmId)}/rrddata{new PveParams().Add("timeframe", Lower(timeframe)).Add("cf", Cf(cf)).Query()}", ct));

    public async Task<IReadOnlyList<PveTask>> GetNodeTasksAsync(string node, int? vmId, int limit, CancellationToken ct)
    {
        var query = new PveParams().Add("limit", limit).Add("vmid", vmId).Query();
        return [.. (await ListAsync<TaskDto>($"nodes/{E(node)}/tasks{query}", ct)).Where(t => !string.IsNullOrEmpty(t.Upid)).Select(t => ProxmoxMapper.ToTask(t))];
    }

    public async Task<IReadOnlyList<PveTask>> GetGuestTasksSinceAsync(string node, int vmId, DateTimeOffset since, string? typeFilter, CancellationToken ct)
    {
        var query = new PveParams().Add("source", "all").Add("vmid", vmId).Add("since", since.ToUnixTimeSeconds())
            .Add("typefilter", typeFilter).Add("limit", 500).Query();
        return [.. (await ListAsync<TaskDto>($"nodes/{E(node)}/tasks{query}", ct)).Where(t => !string.IsNullOrEmpty(t.Upid)).Select(t => ProxmoxMapper.ToTask(t))];
    }

    public async Task<IReadOnlyList<PveTask>> GetNodeTasksSinceAsync(string node, DateTimeOffset since, int limit, CancellationToken ct)
    {
        var query = new PveParams().Add("source", "all").Add("since", since.ToUnixTimeSeconds()).Add("limit", limit).Query();
        return [.. (await ListAsync<TaskDto>($"nodes/{E(node)}/tasks{query}", ct)).Where(t => !string.IsNullOrEmpty(t.Upid)).Select(t => ProxmoxMapper.ToTask(t))];
    }

    public async Task StopTaskAsync(string node, string upid, CancellationToken ct) =>
        await client.DeleteAsync($"nodes/{E(node)}/tasks/{E(upid)}", ct);

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
