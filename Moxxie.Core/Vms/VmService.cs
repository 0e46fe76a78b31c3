using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Vms;

/// <summary>Listing VMs (from the in-memory inventory, no PVE round-trip) and power actions (audited, tracked).</summary>
public sealed class VmService(
    InventoryHub hub,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    TimeProvider time,
    ILogger<VmService>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<VmService>.Instance;

    /// <summary>Guests of every loaded connection matching the filter, ordered by VMID then connection.</summary>
    public IReadOnlyList<VmView> List(VmFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var tags = filter.Tags?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList() ?? [];
        var status = string.IsNullOrWhiteSpace(filter.Status) ? null : filter.Status.Trim();
        var node = string.IsNullOrWhiteSpace(filter.Node) ? null : filter.Node.Trim();
        var name = string.IsNullOrWhiteSpace(filter.Name) ? null : filter.Name.Trim();
        var connection = string.IsNullOrWhiteSpace(filter.Connection) ? null : filter.Connection.Trim();
        var expression = filter.CompileTagExpression();

        IEnumerable<VmView> query = hub.Snapshots
            .Where(s => connection is null || string.Equals(s.Connection, connection, StringComparison.OrdinalIgnoreCase))
            .SelectMany(s => s.Resources.Guests.Select(g => new VmView(s.Connection, g) { Metrics = s.MetricsOf(g.VmId) }));

        if (!filter.IncludeTemplates) query = query.Where(v => !v.Guest.Template);
        if (status is not null) query = query.Where(v => string.Equals(v.Status, status, StringComparison.OrdinalIgnoreCase));
        if (node is not null) query = query.Where(v => string.Equals(v.Node, node, StringComparison.OrdinalIgnoreCase));
        if (name is not null) query = query.Where(v => v.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
        if (tags.Count > 0)
            query = query.Where(v => tags.All(t => v.Guest.Tags.Contains(t, StringComparer.OrdinalIgnoreCase)));
        if (expression is not null) query = query.Where(v => expression.Matches(v.Guest.Tags));

        query = query.OrderBy(v => v.VmId).ThenBy(v => v.Connection, StringComparer.Ordinal);
        if (filter.Limit is { } limit) query = query.Take(Math.Max(0, limit));
        return [.. query];
    }

    /// <summary>One page (1-based) of the guests matching the filter (its Limit is ignored), in <see cref="List"/>'s order.</summary>
    public VmPage Page(VmFilter filter, int page, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var all = List(filter with { Limit = null });
        var items = all.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize)).Take(pageSize).ToList();
        return new VmPage(items, all.Count, page, pageSize);
    }

    /// <summary>The VM, or null when unknown. Throws <see cref="ValidationException"/> (field "connection") when no
    /// connection is given and the VMID exists on several connections.</summary>
    public VmView? Find(VmRef vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var matches = hub.Snapshots
            .Where(s => vm.Connection is null || string.Equals(s.Connection, vm.Connection, StringComparison.OrdinalIgnoreCase))
            .SelectMany(s => s.Resources.Guests.Where(g => g.VmId == vm.VmId).Select(g => new VmView(s.Connection, g)))
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw ValidationException.For("connection",
                $"VM {vm.VmId} exists on several connections ({string.Join(", ", matches.Select(m => m.Connection))}); name the connection."),
        };
    }

    /// <summary>Checks the actor may operate (ForbiddenException otherwise), that the action makes sense for the VM's state
    /// (refuses e.g. starting a running VM with a clear message), calls PVE (never retried), tracks the UPID and writes
    /// an audit row (VM_START, VM_STOP, VM_SHUTDOWN, VM_REBOOT, VM_RESET, VM_SUSPEND, VM_RESUME) with success or PVE's error.</summary>
    public Task<PowerResult> PowerAsync(Actor actor, VmRef vm, PowerAction action, CancellationToken ct) =>
        PowerAsync(actor, vm, action, null, ct);

    /// <summary>As <see cref="PowerAsync(Actor, VmRef, PowerAction, CancellationToken)"/> with PVE's options (timeout, forceStop,
    /// overrule-shutdown); null sends none.</summary>
    public async Task<PowerResult> PowerAsync(Actor actor, VmRef vm, PowerAction action, PowerOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(vm);
        var started = time.GetTimestamp();
        var operation = Operation(action);
        var verb = Verb(action);

        if (!actor.CanOperate)
        {
            var message = $"{actor.UserName} may not {verb} VMs (Viewer role).";
            await WriteAuditAsync(new AuditRecord(actor, operation, "VM", vm.VmId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                false, time.GetElapsedTime(started), Connection: vm.Connection, Details: new { action = verb, vmid = vm.VmId }, Error: "Forbidden: " + message));
            throw new ForbiddenException(message);
        }

        var view = Find(vm);
        if (view is null)
            return PowerResult.NotFound(vm.Connection is null ? $"VM {vm.VmId} not found." : $"VM {vm.VmId} not found on connection '{vm.Connection}'.");

        var guest = view.Guest;
        var label = $"{guest.Name} ({guest.VmId})";
        if (guest.Template)
            return PowerResult.Refused($"Cannot {verb} {label}: it is a template.") with { Connection = view.Connection, Node = guest.Node };
        if (!AllowedActions(guest.Status, guest.Type).Contains(action))
            return PowerResult.Refused(guest.Type == GuestType.Lxc && action == PowerAction.Reset
                    ? $"Cannot reset {label}: a container has no reset in Proxmox VE (reboot or stop it instead)."
                    : RefusalMessage(action, label, guest.Status)) with { Connection = view.Connection, Node = guest.Node };

        var details = new { action = verb, vmid = guest.VmId, name = guest.Name, type = guest.Type == GuestType.Lxc ? "lxc" : "qemu", previousStatus = guest.Status };
        var resourceId = guest.VmId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string upid;
        try
        {
            var gateway = connections.Get(view.Connection);
            upid = options is null
                ? await gateway.PowerAsync(guest.Node, guest.VmId, guest.Type, action, ct)
                : await gateway.PowerAsync(guest.Node, guest.VmId, guest.Type, action, options, ct);
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, "VM", resourceId, false, time.GetElapsedTime(started),
                guest.Node, view.Connection, details, ex.Message));
            return new PowerResult(false, null, ex.Message, view.Connection, guest.Node) { Failure = PowerFailure.Proxmox, ProxmoxStatus = ex.StatusCode };
        }

        tracker.Track(view.Connection, guest.Node, upid, actor.UserName);
        await WriteAuditAsync(new AuditRecord(actor, operation, "VM", resourceId, true, time.GetElapsedTime(started),
            guest.Node, view.Connection, details, Upid: upid));
        return new PowerResult(true, upid, $"{Capitalize(verb)} of {label} started.", view.Connection, guest.Node);
    }

    /// <summary>Which actions make sense in a status ("running" → stop/shutdown/reboot/reset/suspend; "stopped" → start;
    /// "paused" → resume/stop). An LXC container has no reset: PVE's API has /lxc/{vmid}/status/start, stop, shutdown,
    /// reboot, suspend and resume, but no reset (that is /qemu/{vmid}/status/reset only).</summary>
    public static IReadOnlyList<PowerAction> AllowedActions(string status, GuestType type = GuestType.Qemu) => status?.ToLowerInvariant() switch
    {
        "running" when type == GuestType.Lxc => [PowerAction.Stop, PowerAction.Shutdown, PowerAction.Reboot, PowerAction.Suspend],
        "running" => [PowerAction.Stop, PowerAction.Shutdown, PowerAction.Reboot, PowerAction.Reset, PowerAction.Suspend],
        "stopped" => [PowerAction.Start],
        "paused" or "suspended" => [PowerAction.Resume, PowerAction.Stop],
        _ => [],
    };

    /// <summary>The power actions PVE has for a guest type at all (containers: no reset).</summary>
    public static bool Exists(PowerAction action, GuestType type) => !(type == GuestType.Lxc && action == PowerAction.Reset);

    /// <summary>Audit operation name, e.g. VM_START.</summary>
    public static string Operation(PowerAction action) => "VM_" + action.ToString().ToUpperInvariant();

    private static string Verb(PowerAction action) => action.ToString().ToLowerInvariant();

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static string RefusalMessage(PowerAction action, string label, string status) => (action, status.ToLowerInvariant()) switch
    {
        (PowerAction.Start, "running") => $"{label} is already running.",
        (PowerAction.Start, "paused") => $"{label} is paused; resume it instead.",
        (PowerAction.Resume, _) => $"Cannot resume {label}: it is {status}, not paused.",
        (_, "stopped") => $"Cannot {Verb(action)} {label}: it is stopped.",
        _ => $"Cannot {Verb(action)} {label} while it is {status}.",
    };

    private async Task WriteAuditAsync(AuditRecord record)
    {
        try
        {
            // The action already happened at PVE: record it even if the caller gave up waiting.
            await audit.WriteAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for {ResourceType} {ResourceId}", record.Operation, record.ResourceType, record.ResourceId);
        }
    }
}
