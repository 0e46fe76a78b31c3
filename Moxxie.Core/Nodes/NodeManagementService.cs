using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Nodes;

/// <summary>The Nodes screens and /api/v1/nodes: node cards from the inventory (no PVE round-trip), node details, services,
/// load history and tasks from the node's connection, and the node's actions: service start/stop/restart (Operators and
/// Admins) and node reboot/shutdown (Admins, confirmed by typing the node's name). Every action is audited and its task tracked.</summary>
public sealed class NodeManagementService(
    InventoryHub hub,
    IProxmoxConnections connections,
    NodeInfoCache cache,
    ITaskTracker tracker,
    IAuditLog audit,
    TimeProvider time,
    ILogger<NodeManagementService>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<NodeManagementService>.Instance;

    /// <summary>Every node of every loaded connection (online or not), ordered by connection then name.</summary>
    public IReadOnlyList<NodeCard> List() =>
        [.. hub.Snapshots.Where(s => s.Loaded).SelectMany(DashboardService.Nodes).OrderBy(n => n.Connection, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal)];

    /// <summary>The node, or null when no loaded connection has it. Throws <see cref="ValidationException"/> (field "connection")
    /// when no connection is given and several connections have a node of that name.</summary>
    public NodeCard? Find(string node, string? connection = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var matches = List()
            .Where(n => string.Equals(n.Name, node.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(n => string.IsNullOrWhiteSpace(connection) || string.Equals(n.Connection, connection.Trim(), StringComparison.OrdinalIgnoreCase))
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw ValidationException.For("connection",
                $"Node {node} exists on several connections ({string.Join(", ", matches.Select(m => m.Connection))}); name the connection."),
        };
    }

    /// <summary>GET /nodes/{node}/status (kernel, versions, CPU, memory, swap, root fs, load); remembered in the cache for the cards.</summary>
    public async Task<NodeStatusDetail> GetStatusAsync(NodeCard node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        var status = await connections.Get(node.Connection).GetNodeStatusAsync(node.Name, ct);
        cache.Remember(node.Connection, node.Name, status);
        return status;
    }

    /// <summary>PVE version of each online node for the cards: from the cache when fresh, else one status call per node
    /// (in parallel). Nodes that cannot answer are left out.</summary>
    public async Task<IReadOnlyDictionary<(string Connection, string Node), string?>> GetVersionsAsync(IEnumerable<NodeCard> nodes, CancellationToken ct)
    {
        var result = new System.Collections.Concurrent.ConcurrentDictionary<(string, string), string?>();
        await Task.WhenAll(nodes.Where(n => n.Online).Select(async n =>
        {
            if (cache.Get(n.Connection, n.Name) is { } known)
            {
                result[(n.Connection, n.Name)] = known.PveVersion;
                return;
            }
            try
            {
                result[(n.Connection, n.Name)] = (await GetStatusAsync(n, ct)).PveVersion;
            }
            catch (ProxmoxException ex)
            {
                _logger.LogDebug(ex, "No status for node {Node} of {Connection}", n.Name, n.Connection);
            }
        }));
        return result;
    }

    /// <summary>GET /nodes/{node}/services, by name.</summary>
    public async Task<IReadOnlyList<NodeService>> GetServicesAsync(NodeCard node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        var services = await connections.Get(node.Connection).GetServicesAsync(node.Name, ct);
        return [.. services.OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>Load average, CPU, IO wait and memory history from GET /nodes/{node}/rrddata (average).</summary>
    public async Task<IReadOnlyList<NodeLoadPoint>> GetLoadAsync(NodeCard node, RrdTimeframe timeframe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        var points = await connections.Get(node.Connection).GetNodeRrdAsync(node.Name, timeframe, RrdConsolidation.Average, ct);
        return NodeLoadPoint.From(points);
    }

    /// <summary>The node's recent tasks (newest first).</summary>
    public async Task<IReadOnlyList<PveTask>> GetTasksAsync(NodeCard node, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        var tasks = await connections.Get(node.Connection).GetNodeTasksAsync(node.Name, null, limit, ct);
        return [.. tasks.OrderByDescending(t => t.StartTime).ThenByDescending(t => t.Upid, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>Which service actions make sense in a state: a running service can stop/restart, a stopped one start.</summary>
    public static IReadOnlyList<ServiceAction> AllowedActions(NodeService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Running ? [ServiceAction.Stop, ServiceAction.Restart] : [ServiceAction.Start];
    }

    /// <summary>Starts, stops or restarts a service (Operators and Admins; audited NODE_SERVICE_START|STOP|RESTART|RELOAD).</summary>
    public async Task<NodeActionResult> ServiceActionAsync(Actor actor, NodeCard node, string service, ServiceAction action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        var started = time.GetTimestamp();
        var operation = "NODE_SERVICE_" + action.ToString().ToUpperInvariant();
        var verb = action.ToString().ToLowerInvariant();
        var details = new { node = node.Name, service, action = verb };
        if (!actor.CanOperate)
        {
            var message = $"{actor.UserName} may not {verb} node services (Viewer role).";
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE_SERVICE", service, false, time.GetElapsedTime(started), node.Name, node.Connection,
                details, "Forbidden: " + message));
            throw new ForbiddenException(message);
        }
        if (!node.Online)
            return NodeActionResult.Refused($"Node {node.Name} is offline.");
        try
        {
            var upid = await connections.Get(node.Connection).ServiceActionAsync(node.Name, service, action, ct);
            tracker.Track(node.Connection, node.Name, upid, actor.UserName);
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE_SERVICE", service, true, time.GetElapsedTime(started), node.Name, node.Connection,
                details, Upid: upid));
            return new NodeActionResult(true, upid, $"{Capitalize(verb)} of {service} on {node.Name} started.");
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE_SERVICE", service, false, time.GetElapsedTime(started), node.Name, node.Connection,
                details, ex.Message));
            return new NodeActionResult(false, null, ex.Message) { Failure = NodeActionFailure.Proxmox, ProxmoxStatus = ex.StatusCode };
        }
    }

    /// <summary>True when the typed confirmation is exactly the node's name (surrounding blanks ignored, case matters).</summary>
    public static bool ConfirmationMatches(string? typed, string node) => typed is not null && string.Equals(typed.Trim(), node, StringComparison.Ordinal);

    /// <summary>Reboots or shuts down a node (Admins only, audited NODE_REBOOT|NODE_SHUTDOWN). Refused unless
    /// <paramref name="confirmation"/> is the node's name.</summary>
    public async Task<NodeActionResult> NodeCommandAsync(Actor actor, NodeCard node, NodeCommand command, string? confirmation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(node);
        var started = time.GetTimestamp();
        var operation = "NODE_" + command.ToString().ToUpperInvariant();
        var verb = command == NodeCommand.Reboot ? "reboot" : "shut down";
        var details = new { node = node.Name, command = command.ToString().ToLowerInvariant() };
        if (!actor.IsAdmin)
        {
            var message = $"{actor.UserName} may not {verb} nodes (Admin only).";
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE", node.Name, false, time.GetElapsedTime(started), node.Name, node.Connection,
                details, "Forbidden: " + message));
            throw new ForbiddenException(message);
        }
        if (!ConfirmationMatches(confirmation, node.Name))
            return NodeActionResult.Refused($"Type the node's name ({node.Name}) to confirm.");
        if (!node.Online)
            return NodeActionResult.Refused($"Node {node.Name} is offline.");
        try
        {
            await connections.Get(node.Connection).NodeCommandAsync(node.Name, command, ct);
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE", node.Name, true, time.GetElapsedTime(started), node.Name, node.Connection, details));
            return new NodeActionResult(true, null, command == NodeCommand.Reboot ? $"{node.Name} is rebooting." : $"{node.Name} is shutting down.");
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, "NODE", node.Name, false, time.GetElapsedTime(started), node.Name, node.Connection,
                details, ex.Message));
            return new NodeActionResult(false, null, ex.Message) { Failure = NodeActionFailure.Proxmox, ProxmoxStatus = ex.StatusCode };
        }
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

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
