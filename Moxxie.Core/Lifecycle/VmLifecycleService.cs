using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Deployments;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.VmDetail;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Lifecycle;

/// <summary>Editing a VM's options (cores, memory, balloon, start at boot, QEMU agent, description, protection), showing
/// PVE's pending changes, and removing a VM (purge, destroy unreferenced disks) after the user typed its name. PVE decides
/// what it refuses (a protected VM, a running one) and its message is passed on. Audited with the UPID; Viewers refused.</summary>
public sealed class VmLifecycleService(
    VmService vms,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    TimeProvider time,
    ILogger<VmLifecycleService>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<VmLifecycleService>.Instance;

    /// <summary>The form's values (GET …/config, pending applied, as PVE answers) and PVE's pending changes (GET …/pending).</summary>
    public async Task<VmConfigForm> GetFormAsync(VmRef vm, CancellationToken ct)
    {
        var view = Require(vm);
        var gateway = connections.Get(view.Connection);
        var config = await gateway.GetGuestConfigDetailAsync(view.Node, view.VmId, view.Guest.Type, false, ct);
        var pending = VmDetailService.PendingOnly(await gateway.GetPendingAsync(view.Node, view.VmId, view.Guest.Type, ct));
        return new VmConfigForm(view.VmId, config.Name ?? view.Name, config.Cores ?? 1, (int)(config.MemoryMb ?? 512), (int?)config.BalloonMb,
            config.OnBoot, config.Agent?.Enabled ?? false, config.Description, config.Protection, config.Digest, pending, view.Status == "running");
    }

    /// <summary>Sends only what changed (POST …/config for QEMU, answering a UPID; PUT for containers) with the digest, so a
    /// config changed meanwhile is refused by PVE. Audited as VM_CONFIG.</summary>
    public async Task<LifecycleResult> UpdateConfigAsync(Actor actor, VmRef vm, VmConfigEdit edit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, vm, "VM_CONFIG", "change the configuration of", started);
        var view = Require(vm);

        var errors = new Dictionary<string, string>();
        if (DeploymentRules.CoresError(edit.Cores) is { } c) errors["cores"] = c;
        if (DeploymentRules.MemoryError(edit.MemoryMb) is { } m) errors["memory"] = m;
        if (edit.BalloonMb is < 0) errors["balloon"] = "0 (no balloon device) or a size in MiB.";
        else if (edit.BalloonMb is > 0 and var b && edit.MemoryMb is { } mem && b > mem) errors["balloon"] = $"At most the memory ({mem} MiB).";
        if (edit.Description is { Length: > 8192 }) errors["description"] = "At most 8192 characters.";
        if (errors.Count > 0) throw new ValidationException("The configuration was not changed: " + string.Join(" ", errors.Values), errors);

        var gateway = connections.Get(view.Connection);
        var current = await gateway.GetGuestConfigDetailAsync(view.Node, view.VmId, view.Guest.Type, false, ct);
        var changed = new List<string>();
        T? IfChanged<T>(string key, T? wanted, T? now) where T : struct
        {
            if (wanted is null || EqualityComparer<T?>.Default.Equals(wanted, now)) return null;
            changed.Add(key);
            return wanted;
        }
        var update = new GuestConfigUpdate
        {
            Cores = IfChanged("cores", edit.Cores, current.Cores),
            MemoryMb = IfChanged<long>("memory", edit.MemoryMb, current.MemoryMb),
            BalloonMb = view.Guest.Type == GuestType.Qemu ? IfChanged<long>("balloon", edit.BalloonMb, current.BalloonMb) : null,
            OnBoot = IfChanged("onboot", edit.OnBoot, current.OnBoot),
            Agent = view.Guest.Type == GuestType.Qemu ? IfChanged("agent", edit.Agent, current.Agent?.Enabled ?? false) : null,
            Protection = IfChanged("protection", edit.Protection, current.Protection),
            Description = edit.Description is { } d && d != (current.Description ?? "") && !(d.Length == 0 && current.Description is null) ? Add(changed, "description", d) : null,
            Digest = edit.Digest ?? current.Digest,
        };
        if (update.Description is "")
            update = update with { Description = null, Delete = ["description"] };
        if (changed.Count == 0) throw ValidationException.For("config", "Nothing changed.");

        var details = new { vmid = view.VmId, changes = changed.ToDictionary(k => k, k => Value(update, k)) };
        var resourceId = view.VmId.ToString(CultureInfo.InvariantCulture);
        string? upid;
        try
        {
            if (view.Guest.Type == GuestType.Qemu) upid = await gateway.UpdateVmConfigAsync(view.Node, view.VmId, update, ct);
            else
            {
                await gateway.UpdateGuestConfigAsync(view.Node, view.VmId, view.Guest.Type, update, ct);
                upid = null;
            }
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, "VM_CONFIG", "VM", resourceId, false, time.GetElapsedTime(started), view.Node, view.Connection, details, ex.Message));
            throw;
        }
        if (upid is not null) tracker.Track(view.Connection, view.Node, upid, actor.UserName);
        await WriteAuditAsync(new AuditRecord(actor, "VM_CONFIG", "VM", resourceId, true, time.GetElapsedTime(started), view.Node, view.Connection, details, Upid: upid));
        return new LifecycleResult(upid, $"Configuration of {view.Name} updated ({string.Join(", ", changed)})", view.Connection, view.Node) { Changed = changed };
    }

    /// <summary>DELETE the VM with purge=1 and destroy-unreferenced-disks=1. <paramref name="typedName"/> must equal the VM's
    /// name when given (the UI always gives it). PVE refuses protected or running VMs with its own message (ProxmoxException).
    /// Audited as VM_DELETE with the UPID or PVE's error.</summary>
    public async Task<LifecycleResult> RemoveAsync(Actor actor, VmRef vm, string? typedName, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        await RequireOperatorAsync(actor, vm, "VM_DELETE", "remove", started);
        var view = Require(vm);
        if (typedName is not null && !string.Equals(typedName.Trim(), view.Name, StringComparison.Ordinal))
            throw ValidationException.For("confirm", $"Type the VM's name, {view.Name}, to confirm.");

        var resourceId = view.VmId.ToString(CultureInfo.InvariantCulture);
        var details = new { vmid = view.VmId, name = view.Name, purge = true, destroyUnreferencedDisks = true, previousStatus = view.Status };
        string upid;
        try
        {
            upid = await connections.Get(view.Connection).DeleteGuestAsync(view.Node, view.VmId, view.Guest.Type,
                new DeleteGuestOptions(Purge: true, DestroyUnreferencedDisks: true), ct);
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, "VM_DELETE", "VM", resourceId, false, time.GetElapsedTime(started), view.Node, view.Connection, details, ex.Message));
            throw;
        }
        tracker.Track(view.Connection, view.Node, upid, actor.UserName);
        await WriteAuditAsync(new AuditRecord(actor, "VM_DELETE", "VM", resourceId, true, time.GetElapsedTime(started), view.Node, view.Connection, details, Upid: upid));
        return new LifecycleResult(upid, $"Removal of {view.Name} ({view.VmId}) started", view.Connection, view.Node);
    }

    /// <summary>Waits (polling PVE) until the result's task ended; null when there is no task or it outlived <paramref name="timeout"/>.</summary>
    public async Task<PveTask?> WaitAsync(LifecycleResult result, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Upid is null) return null;
        var gateway = connections.Get(result.Connection);
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var task = await gateway.GetTaskStatusAsync(result.Node, result.Upid, ct);
            if (!task.Running) return task;
            if (time.GetUtcNow() > deadline) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(300), time, ct);
        }
    }

    private static string Add(List<string> changed, string key, string value)
    {
        changed.Add(key);
        return value;
    }

    private static object? Value(GuestConfigUpdate u, string key) => key switch
    {
        "cores" => u.Cores, "memory" => u.MemoryMb, "balloon" => u.BalloonMb, "onboot" => u.OnBoot, "agent" => u.Agent,
        "protection" => u.Protection, "description" => u.Description ?? "", _ => null,
    };

    private VmView Require(VmRef vm) => vms.Find(vm)
        ?? throw new KeyNotFoundException(vm.Connection is null ? $"VM {vm.VmId} not found." : $"VM {vm.VmId} not found on connection '{vm.Connection}'.");

    private async Task RequireOperatorAsync(Actor actor, VmRef vm, string operation, string verb, long started)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(vm);
        if (actor.CanOperate) return;
        var message = $"{actor.UserName} may not {verb} VMs (Viewer role).";
        await WriteAuditAsync(new AuditRecord(actor, operation, "VM", vm.VmId.ToString(CultureInfo.InvariantCulture), false, time.GetElapsedTime(started),
            Connection: vm.Connection, Details: new { vmid = vm.VmId }, Error: "Forbidden: " + message));
        throw new ForbiddenException(message);
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
