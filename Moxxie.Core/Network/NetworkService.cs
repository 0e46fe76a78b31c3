using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;

namespace Moxxie.Core.Network;

/// <summary>Network screens and GET /api/v1/networks, /sdn/vnets: node interfaces with the pending diff, apply/revert
/// (Admin, audited), the topology (interfaces + guests' netN) and SDN zones/VNets/subnets.</summary>
public sealed class NetworkService(
    InventoryHub hub,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    TimeProvider time,
    ILogger<NetworkService>? logger = null)
{
    /// <summary>How many guest configs are read at once when drawing a topology.</summary>
    public const int ConfigReadParallelism = 4;

    /// <summary>Beyond this many guests on a node the topology shows the first ones only (the rest are counted).</summary>
    public const int MaxTopologyGuests = 60;

    private readonly ILogger _logger = logger ?? NullLogger<NetworkService>.Instance;

    /// <summary>Nodes of every loaded connection, by connection then name.</summary>
    public IReadOnlyList<NetworkNodeRef> Nodes() =>
        [.. hub.Snapshots.SelectMany(s => NodesOf(s)).OrderBy(n => n.Connection, StringComparer.Ordinal).ThenBy(n => n.Node, StringComparer.Ordinal)];

    private static IEnumerable<NetworkNodeRef> NodesOf(InventorySnapshot s) =>
        s.Cluster is { Nodes.Count: > 0 } c
            ? c.Nodes.Select(n => new NetworkNodeRef(s.Connection, n.Name, n.Online))
            : s.Resources.Nodes.Select(n => new NetworkNodeRef(s.Connection, n.Node, n.Status == "online"));

    /// <summary>The node (first connection having it when none is named); <see cref="KeyNotFoundException"/> when unknown.</summary>
    public NetworkNodeRef Resolve(string? connection, string node)
    {
        var match = Nodes().FirstOrDefault(n => string.Equals(n.Node, node, StringComparison.Ordinal)
            && (string.IsNullOrWhiteSpace(connection) || string.Equals(n.Connection, connection.Trim(), StringComparison.OrdinalIgnoreCase)));
        return match ?? throw new KeyNotFoundException(string.IsNullOrWhiteSpace(connection)
            ? $"Node '{node}' not found."
            : $"Node '{node}' not found on connection '{connection}'.");
    }

    /// <summary>GET /nodes/{node}/network with the pending diff, interfaces ordered naturally.</summary>
    public async Task<NetworkConfig> GetAsync(NetworkNodeRef node, CancellationToken ct)
    {
        var config = await connections.Get(node.Connection).GetNetworkAsync(node.Node, null, ct);
        return config with { Interfaces = [.. config.Interfaces.OrderBy(i => i.Iface, NaturalOrder.Instance)] };
    }

    /// <summary>The node's topology: reads the config of each guest on it (a few at a time) for its NICs. Guests whose config
    /// cannot be read are left out (the count of those is returned).</summary>
    public async Task<(NetworkTopology Topology, int GuestsLeftOut)> TopologyAsync(NetworkNodeRef node, IReadOnlyList<NetworkInterface> interfaces,
        IReadOnlyCollection<string>? sdnVnets, CancellationToken ct)
    {
        var gateway = connections.Get(node.Connection);
        var guests = (hub.Get(node.Connection)?.Resources.Guests ?? [])
            .Where(g => g.Node == node.Node && !g.Template)
            .OrderBy(g => g.VmId)
            .ToList();
        var shown = guests.Take(MaxTopologyGuests).ToList();
        var results = new ConcurrentBag<GuestNics>();
        var failed = 0;
        await Parallel.ForEachAsync(shown, new ParallelOptions { MaxDegreeOfParallelism = ConfigReadParallelism, CancellationToken = ct }, async (g, token) =>
        {
            try
            {
                var raw = await gateway.GetGuestConfigAsync(g.Node, g.VmId, g.Type, token);
                var nics = raw.Where(kv => kv.Key.StartsWith("net", StringComparison.Ordinal) && kv.Key.Length > 3 && char.IsAsciiDigit(kv.Key[3]))
                    .Select(kv => GuestNic.Parse(kv.Key, kv.Value)).OrderBy(n => n.Index).ToList();
                results.Add(new GuestNics(g.VmId, g.Name, g.Type, g.Status, nics));
            }
            catch (ProxmoxException ex)
            {
                Interlocked.Increment(ref failed);
                _logger.LogWarning("Topology: could not read the config of {VmId} on {Node}: {Message}", g.VmId, g.Node, ex.Message);
            }
        });
        var topology = NetworkTopology.Build(interfaces, [.. results.OrderBy(r => r.VmId)], sdnVnets);
        return (topology, failed + guests.Count - shown.Count);
    }

    /// <summary>SDN zones, VNets and subnets of a connection; PVE's error in <see cref="SdnOverview.Error"/> instead of throwing.</summary>
    public async Task<SdnOverview> SdnAsync(string connection, CancellationToken ct)
    {
        var gateway = connections.Get(connection);
        try
        {
            var zones = await gateway.GetSdnZonesAsync(ct);
            var vnets = await gateway.GetSdnVnetsAsync(ct);
            var subnets = new List<SdnSubnet>();
            foreach (var v in vnets) subnets.AddRange(await gateway.GetSdnSubnetsAsync(v.Vnet, ct));
            return new SdnOverview(connection, [.. zones.OrderBy(z => z.Zone, StringComparer.Ordinal)], [.. vnets.OrderBy(v => v.Vnet, StringComparer.Ordinal)],
                [.. subnets.OrderBy(s => s.Vnet, StringComparer.Ordinal).ThenBy(s => s.Subnet, StringComparer.Ordinal)], null);
        }
        catch (ProxmoxException ex)
        {
            return new SdnOverview(connection, [], [], [], ex.Message);
        }
    }

    /// <summary>VNets of every connection (or one), each with its zone (the zone gives IPAM and anycast MAC), for
    /// GET /api/v1/sdn/vnets; <paramref name="zone"/> filters. Throws <see cref="ProxmoxException"/> when PVE refuses.</summary>
    public async Task<IReadOnlyList<VnetEntry>> VnetsAsync(string? connection, string? zone, CancellationToken ct)
    {
        var result = new List<VnetEntry>();
        foreach (var c in ConnectionNames(connection))
        {
            var gateway = connections.Get(c);
            var vnets = await gateway.GetSdnVnetsAsync(ct);
            var zones = (await gateway.GetSdnZonesAsync(ct)).ToDictionary(z => z.Zone, StringComparer.Ordinal);
            foreach (var v in vnets.Where(v => zone is null || string.Equals(v.Zone, zone, StringComparison.Ordinal)).OrderBy(v => v.Vnet, StringComparer.Ordinal))
                result.Add(new VnetEntry(c, v, zones.GetValueOrDefault(v.Zone)));
        }
        return result;
    }

    /// <summary>One node's interfaces (optionally of one PVE type filter) for GET /api/v1/networks.</summary>
    public async Task<IReadOnlyList<NetworkInterface>> InterfacesAsync(NetworkNodeRef node, string? type, CancellationToken ct)
    {
        var config = await GetAsync(node, ct);
        return [.. config.Interfaces.Where(i => NetworkInterfaceTypes.Matches(i, type))];
    }

    /// <summary>PUT /nodes/{node}/network (ifreload): Admin only; tracked and audited NETWORK_APPLY.</summary>
    public Task<NetworkActionResult> ApplyAsync(Actor actor, NetworkNodeRef node, CancellationToken ct) =>
        ChangeAsync(actor, node, "NETWORK_APPLY", "apply", async g => await g.ApplyNetworkAsync(node.Node, ct));

    /// <summary>DELETE /nodes/{node}/network (drop interfaces.new): Admin only; audited NETWORK_REVERT.</summary>
    public Task<NetworkActionResult> RevertAsync(Actor actor, NetworkNodeRef node, CancellationToken ct) =>
        ChangeAsync(actor, node, "NETWORK_REVERT", "revert", async g => { await g.RevertNetworkAsync(node.Node, ct); return null; });

    private async Task<NetworkActionResult> ChangeAsync(Actor actor, NetworkNodeRef node, string operation, string verb, Func<IProxmoxGateway, Task<string?>> call)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var started = time.GetTimestamp();
        if (!actor.IsAdmin)
        {
            var message = $"{actor.UserName} may not {verb} network changes (Admin role required).";
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE", node.Node, false, time.GetElapsedTime(started), node.Node, node.Connection,
                Error: "Forbidden: " + message));
            throw new ForbiddenException(message);
        }
        try
        {
            var upid = await call(connections.Get(node.Connection));
            if (upid is not null) tracker.Track(node.Connection, node.Node, upid, actor.UserName);
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE", node.Node, true, time.GetElapsedTime(started), node.Node, node.Connection, Upid: upid));
            return new NetworkActionResult(true, verb == "apply" ? $"Applying network changes on {node.Node}." : $"Pending network changes on {node.Node} reverted.", upid);
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE", node.Node, false, time.GetElapsedTime(started), node.Node, node.Connection,
                Error: ex.Message));
            return new NetworkActionResult(false, ex.Message);
        }
    }

    private IEnumerable<string> ConnectionNames(string? connection)
    {
        if (string.IsNullOrWhiteSpace(connection)) return connections.All.Select(c => c.Name);
        var match = connections.All.Where(c => string.Equals(c.Name, connection.Trim(), StringComparison.OrdinalIgnoreCase)).Select(c => c.Name).ToList();
        return match.Count > 0 ? match : throw new KeyNotFoundException($"Unknown connection '{connection}'.");
    }

    private async Task WriteAuditAsync(AuditRecord record)
    {
        try
        {
            await audit.WriteAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for {ResourceType} {ResourceId}", record.Operation, record.ResourceType, record.ResourceId);
        }
    }
}
