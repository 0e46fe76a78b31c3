using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Deployments;

/// <summary>
/// Creates VMs by cloning a template (or a VM, or one of its snapshots), as seed 002's deployments: <see cref="RequestAsync"/>
/// checks the request, picks the node (chosen, or the online node with the most free memory that can take the clone),
/// stores a REQUESTED row and queues it; the worker calls <see cref="RunAsync"/>: PROVISIONING → VMID → clone (UPID) →
/// configuration (cores, memory, ciuser, URL-encoded sshkeys, ipconfig0; UPID) → optional start (UPID) → ACTIVE, or ERROR
/// with PVE's message. Each step is written to the event log before the PVE call and its UPID after; every committed change
/// is published on the <see cref="InventoryHub"/> for the pages watching it. Every PVE action is audited with its UPID.
/// </summary>
public sealed class VmProvisioningService(
    VmService vms,
    InventoryHub hub,
    IProxmoxConnections connections,
    ITaskTracker tracker,
    IAuditLog audit,
    IMoxxieDbFactory dbFactory,
    DeploymentQueue queue,
    TimeProvider time,
    ILogger<VmProvisioningService>? logger = null)
{
    public const string ResourceType = "DEPLOYMENT";
    private readonly ILogger _logger = logger ?? NullLogger<VmProvisioningService>.Instance;

    /// <summary>How often the worker asks PVE whether a task ended, and for how long at most.</summary>
    public TimeSpan TaskPollDelay { get; init; } = TimeSpan.FromMilliseconds(400);
    public TimeSpan TaskTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Checks the request (per field, VALIDATION_ERROR), chooses the node, stores the deployment (REQUESTED) with its
    /// first events, audits the request and queues it. Unknown source VM: KeyNotFoundException (or "templateId" when a
    /// template is required); Viewers: ForbiddenException (audited).</summary>
    public async Task<DeploymentView> RequestAsync(Actor actor, DeploymentRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var started = time.GetTimestamp();
        var sourceField = request.RequireTemplate ? "templateId" : "vmid";
        if (!actor.CanOperate)
        {
            var message = $"{actor.UserName} may not create VMs (Viewer role).";
            await WriteAuditAsync(new AuditRecord(actor, "DEPLOYMENT_CREATE", ResourceType, null, false, time.GetElapsedTime(started),
                Connection: request.Connection, Details: new { source = request.SourceVmId, name = request.Name }, Error: "Forbidden: " + message));
            throw new ForbiddenException(message);
        }

        var errors = new Dictionary<string, string>();
        void Check(string field, string? error)
        {
            if (error is not null) errors.TryAdd(field, error);
        }
        var name = request.Name?.Trim();
        Check("name", DeploymentRules.NameError(name));
        Check("cores", DeploymentRules.CoresError(request.Cores));
        Check("memory", DeploymentRules.MemoryError(request.MemoryMb));
        Check("cloudInit.user", DeploymentRules.CiUserError(request.CiUser?.Trim()));
        Check("cloudInit.sshKeys", DeploymentRules.SshKeysError(request.SshKeys));
        Check("cloudInit.ipConfig", DeploymentRules.IpConfigError(request.IpConfig0?.Trim()));
        if (request.VmId is { } wanted && (wanted < 100 || wanted > 999_999_999)) errors["newid"] = "A VMID is between 100 and 999999999.";
        if (!request.Full && !string.IsNullOrWhiteSpace(request.Storage))
            errors["storage"] = "A linked clone stays on the template's storage; choose a full clone to pick another storage.";

        var source = vms.Find(new VmRef(request.SourceVmId, request.Connection));
        if (source is null)
        {
            var missing = $"VM {request.SourceVmId} not found{(request.Connection is null ? "" : $" on connection '{request.Connection}'")}.";
            if (!request.RequireTemplate) throw new KeyNotFoundException(missing);
            errors[sourceField] = missing;
            throw Invalid(errors);
        }
        if (source.Guest.Type != GuestType.Qemu) errors[sourceField] = $"{source.Name} ({source.VmId}) is a container; only QEMU VMs are cloned here.";
        else if (request.RequireTemplate && !source.Guest.Template) errors[sourceField] = $"{source.Name} ({source.VmId}) is not a template.";
        if (!request.Full && !source.Guest.Template) errors["full"] = "Linked clones are made from templates only; this is a VM, so choose a full clone.";
        if (request.Snapshot is not null && source.Guest.Template) errors["snapname"] = "Templates have no snapshots to clone from.";
        if (request.VmId is { } id && vms.Find(new VmRef(id, source.Connection)) is not null) errors["newid"] = $"VM {id} already exists.";

        var resources = hub.Get(source.Connection)?.Resources ?? ClusterResources.Empty;
        var storage = string.IsNullOrWhiteSpace(request.Storage) ? null : request.Storage.Trim();
        IReadOnlyCollection<string> storages = storage is not null ? [storage] : await SourceStoragesAsync(source, ct);
        var candidates = NodeElection.Candidates(resources, source.Node, storages);
        string? targetNode = null;
        var elected = string.IsNullOrWhiteSpace(request.Node);
        var why = "";
        if (!elected)
        {
            var node = request.Node!.Trim();
            var known = resources.Nodes.FirstOrDefault(n => n.Node == node);
            if (known is null) errors["node"] = $"No node '{node}' on {source.Connection}.";
            else if (known.Status != "online") errors["node"] = $"{node} is offline.";
            else if (candidates.All(c => c.Node != node))
                errors["node"] = $"{node} cannot take the clone: {string.Join(", ", storages)} {(storages.Count == 1 ? "is" : "are")} not shared storage there. Choose {source.Node} or a shared storage.";
            else targetNode = node;
        }
        else if (NodeElection.Elect(candidates) is { } best)
        {
            targetNode = best.Node;
            why = $"Node {best.Node} elected: most free memory ({FormatGiB(NodeElection.FreeMemory(best))}) among {string.Join(", ", candidates.Select(c => c.Node))}.";
        }
        else errors["node"] = "No online node can take the clone.";

        if (storage is not null && targetNode is not null)
        {
            var st = resources.Storage.FirstOrDefault(s => s.Node == targetNode && s.Storage == storage);
            if (st is null) errors["storage"] = $"Storage '{storage}' is not available on {targetNode}.";
            else if (!st.Content.Contains("images")) errors["storage"] = $"Storage '{storage}' does not hold VM disks (content: {string.Join(", ", st.Content)}).";
            else if (st.Status != "available") errors["storage"] = $"Storage '{storage}' is {st.Status} on {targetNode}.";
        }
        if (errors.Count > 0) throw Invalid(errors);

        var now = time.GetUtcNow();
        var deployment = new Deployment
        {
            Id = DeploymentRules.NewId(), Connection = source.Connection, Name = name!, Status = DeploymentStatus.Requested,
            SourceVmId = source.VmId, SourceNode = source.Node, SourceSnapshot = request.Snapshot, SourceIsTemplate = source.Guest.Template,
            TargetNode = targetNode!, NodeElected = elected, Storage = storage, FullClone = request.Full, VmId = request.VmId,
            Cores = request.Cores, MemoryMb = request.MemoryMb, CiUser = NullIfEmpty(request.CiUser), SshKeys = NullIfEmpty(request.SshKeys),
            IpConfig0 = NullIfEmpty(request.IpConfig0), StartAfter = request.Start,
            RequestedBy = actor.UserName, RequestedFrom = actor.SourceIp, CreatedAt = now, UpdatedAt = now,
        };
        var what = $"{(source.Guest.Template ? "template" : "VM")} {source.Name} ({source.VmId}){(request.Snapshot is { } s ? $" at snapshot {s}" : "")}";
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            db.Deployments.Add(deployment);
            db.DeploymentEvents.Add(Event(deployment.Id, now, DeploymentStatus.Info, $"Requested by {actor.UserName}: {(request.Full ? "full" : "linked")} clone of {what} named {name}."));
            db.DeploymentEvents.Add(Event(deployment.Id, now, DeploymentStatus.Info, elected ? why : $"Node {targetNode} chosen by {actor.UserName}."));
            await db.SaveChangesAsync(ct);
        }
        await WriteAuditAsync(new AuditRecord(actor, "DEPLOYMENT_CREATE", ResourceType, deployment.Id, true, time.GetElapsedTime(started), targetNode,
            source.Connection, Details(deployment)));
        queue.Enqueue(deployment.Id);
        var view = await GetAsync(deployment.Id, CancellationToken.None) ?? throw new InvalidOperationException("The deployment just stored is gone.");
        hub.Publish(new DeploymentChanged(view));
        return view;
    }

    public async Task<DeploymentView?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var d = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null) return null;
        var events = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id).OrderBy(e => e.Id).ToListAsync(ct);
        return DeploymentView.From(d, events);
    }

    /// <summary>Newest first, without events.</summary>
    public async Task<(IReadOnlyList<DeploymentView> Items, int Total)> ListAsync(int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateAsync(ct);
        var total = await db.Deployments.CountAsync(ct);
        var rows = await db.Deployments.AsNoTracking().OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return ([.. rows.Select(d => DeploymentView.From(d, []))], total);
    }

    /// <summary>Runs a queued deployment to ACTIVE or ERROR (the worker's job). A deployment already final is left alone.</summary>
    public async Task RunAsync(string id, CancellationToken ct)
    {
        Deployment? d;
        await using (var db = await dbFactory.CreateAsync(ct))
            d = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null || DeploymentStatus.IsFinal(d.Status)) return;
        var actor = new Actor(d.RequestedBy, [MoxxieRoles.Operator], d.RequestedFrom);
        var step = "Provisioning";
        try
        {
            var gateway = connections.Get(d.Connection);
            await RecordAsync(id, x => x.Status = DeploymentStatus.Provisioning, DeploymentStatus.Info, "Provisioning started.");

            if (d.VmId is null)
            {
                step = "Allocating a VMID";
                var next = await gateway.GetNextVmIdAsync(null, ct);
                d.VmId = next;
                await RecordAsync(id, x => x.VmId = next, DeploymentStatus.Info, $"VMID {next} allocated (PVE's next free ID).");
            }
            var vmid = d.VmId.Value;
            var target = d.TargetNode == d.SourceNode ? null : d.TargetNode;

            step = "Clone";
            var cloneText = $"{(d.FullClone ? "Full" : "Linked")} clone of {d.SourceVmId}{(d.SourceSnapshot is { } snap ? $" (snapshot {snap})" : "")} to VM {vmid} '{d.Name}' on {d.TargetNode}" +
                            $"{(d.Storage is { } st ? $", storage {st}" : "")}: starting.";
            await RecordAsync(id, null, DeploymentStatus.Info, cloneText);
            var cloneUpid = await CallAsync(actor, d, "VM_CLONE", vmid, d.SourceNode, new { source = d.SourceVmId, snapshot = d.SourceSnapshot, full = d.FullClone, target, storage = d.Storage, name = d.Name },
                () => gateway.CloneVmAsync(d.SourceNode, d.SourceVmId, new CloneVmRequest(vmid)
                {
                    Name = d.Name, Full = d.FullClone, Target = target, Storage = d.Storage, SnapName = d.SourceSnapshot,
                }, ct));
            await RecordAsync(id, x => x.Upid = cloneUpid, DeploymentStatus.Info, "Clone task started.", cloneUpid);
            await WaitAsync(gateway, d.SourceNode, cloneUpid, ct);
            await RecordAsync(id, null, DeploymentStatus.Info, $"Clone done: VM {vmid} exists on {d.TargetNode}.", cloneUpid);

            var update = ConfigUpdate(d);
            if (update is not null)
            {
                step = "Configuration";
                await RecordAsync(id, null, DeploymentStatus.Info, $"Applying configuration: {Describe(d)}.");
                var configUpid = await CallAsync(actor, d, "VM_CONFIG", vmid, d.TargetNode, new { cores = d.Cores, memory = d.MemoryMb, ciuser = d.CiUser, sshKeys = DeploymentRules.KeyLines(d.SshKeys).Count, ipconfig0 = d.IpConfig0 },
                    async () => await gateway.UpdateVmConfigAsync(d.TargetNode, vmid, update, ct) ?? "");
                if (configUpid.Length > 0)
                {
                    await RecordAsync(id, x => x.Upid = configUpid, DeploymentStatus.Info, "Configuration task started.", configUpid);
                    await WaitAsync(gateway, d.TargetNode, configUpid, ct);
                }
                await RecordAsync(id, null, DeploymentStatus.Info, "Configuration applied.", configUpid.Length > 0 ? configUpid : null);
            }

            if (d.StartAfter)
            {
                step = "Start";
                await RecordAsync(id, null, DeploymentStatus.Info, $"Starting VM {vmid}.");
                var startUpid = await CallAsync(actor, d, "VM_START", vmid, d.TargetNode, new { action = "start", vmid },
                    () => gateway.PowerAsync(d.TargetNode, vmid, GuestType.Qemu, PowerAction.Start, ct));
                await RecordAsync(id, x => x.Upid = startUpid, DeploymentStatus.Info, "Start task started.", startUpid);
                await WaitAsync(gateway, d.TargetNode, startUpid, ct);
                await RecordAsync(id, null, DeploymentStatus.Info, $"VM {vmid} started.", startUpid);
            }

            await RecordAsync(id, x => x.Status = DeploymentStatus.Active, DeploymentStatus.Info, $"VM {vmid} '{d.Name}' is ready on {d.TargetNode}.");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await FailAsync(id, $"{step} interrupted: Moxxie stopped before the deployment finished.");
        }
        catch (Exception ex) when (ex is ProxmoxException or TaskFailedException)
        {
            await FailAsync(id, $"{step} failed: {ex.Message}", (ex as TaskFailedException)?.Upid);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Deployment {Id} failed unexpectedly", id);
            await FailAsync(id, $"{step} failed: {ex.Message}");
        }
    }

    /// <summary>A PVE task that ended with an error: <see cref="Exception.Message"/> is PVE's exit status.</summary>
    private sealed class TaskFailedException(string message, string upid) : Exception(message)
    {
        public string Upid { get; } = upid;
    }

    private static GuestConfigUpdate? ConfigUpdate(Deployment d)
    {
        var other = new Dictionary<string, string>(StringComparer.Ordinal);
        if (d.CiUser is { } user) other["ciuser"] = user.Trim();
        if (DeploymentRules.EncodeSshKeys(d.SshKeys) is { } keys) other["sshkeys"] = keys;
        if (d.IpConfig0 is { } ip) other["ipconfig0"] = ip.Trim();
        if (d.Cores is null && d.MemoryMb is null && other.Count == 0) return null;
        return new GuestConfigUpdate { Cores = d.Cores, MemoryMb = d.MemoryMb, Other = other };
    }

    private static string Describe(Deployment d)
    {
        var parts = new List<string>();
        if (d.Cores is { } c) parts.Add($"cores={c}");
        if (d.MemoryMb is { } m) parts.Add($"memory={m} MiB");
        if (d.CiUser is { } u) parts.Add($"ciuser={u}");
        var keys = DeploymentRules.KeyLines(d.SshKeys).Count;
        if (keys > 0) parts.Add($"sshkeys ({keys} key{(keys == 1 ? "" : "s")}, URL-encoded)");
        if (d.IpConfig0 is { } ip) parts.Add($"ipconfig0={ip}");
        return string.Join(", ", parts);
    }

    private async Task<string> CallAsync(Actor actor, Deployment d, string operation, int vmid, string node, object details, Func<Task<string>> call)
    {
        var started = time.GetTimestamp();
        var resourceId = vmid.ToString(CultureInfo.InvariantCulture);
        string upid;
        try
        {
            upid = await call();
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, "VM", resourceId, false, time.GetElapsedTime(started), node, d.Connection,
                new { deployment = d.Id, details }, ex.Message));
            throw;
        }
        if (upid.Length > 0) tracker.Track(d.Connection, node, upid, actor.UserName);
        await WriteAuditAsync(new AuditRecord(actor, operation, "VM", resourceId, true, time.GetElapsedTime(started), node, d.Connection,
            new { deployment = d.Id, details }, Upid: upid.Length > 0 ? upid : null));
        return upid;
    }

    private async Task WaitAsync(IProxmoxGateway gateway, string node, string upid, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + TaskTimeout;
        while (true)
        {
            var task = await gateway.GetTaskStatusAsync(node, upid, ct);
            if (!task.Running)
            {
                if (task.Succeeded) return;
                throw new TaskFailedException(task.ExitStatus ?? "unknown error", upid);
            }
            if (time.GetUtcNow() > deadline) throw new TaskFailedException($"the task did not finish within {TaskTimeout.TotalMinutes:0} minutes", upid);
            await Task.Delay(TaskPollDelay, time, ct);
        }
    }

    private async Task FailAsync(string id, string message, string? upid = null)
    {
        try
        {
            await RecordAsync(id, x => { x.Status = DeploymentStatus.Error; x.LastError = message; }, DeploymentStatus.ErrorLevel, message, upid, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not record the failure of deployment {Id}: {Message}", id, message);
        }
    }

    /// <summary>Applies a change to the row and appends an event in one transaction, then publishes the new view.</summary>
    private async Task RecordAsync(string id, Action<Deployment>? change, string level, string message, string? upid = null, CancellationToken ct = default)
    {
        DeploymentView view;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var row = await db.Deployments.FirstAsync(x => x.Id == id, ct);
            var now = time.GetUtcNow();
            change?.Invoke(row);
            row.UpdatedAt = now;
            db.DeploymentEvents.Add(Event(id, now, level, message, upid));
            await db.SaveChangesAsync(ct);
            var events = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id).OrderBy(e => e.Id).ToListAsync(ct);
            view = DeploymentView.From(row, events);
        }
        hub.Publish(new DeploymentChanged(view));
    }

    private static DeploymentEvent Event(string id, DateTimeOffset now, string level, string message, string? upid = null) =>
        new() { DeploymentId = id, Time = now, Level = level, Message = message, Upid = upid };

    private async Task<IReadOnlyCollection<string>> SourceStoragesAsync(VmView source, CancellationToken ct)
    {
        try
        {
            var config = await connections.Get(source.Connection).GetGuestConfigDetailAsync(source.Node, source.VmId, source.Guest.Type, false, ct);
            return [.. config.Disks.Where(d => !d.IsCdrom && !d.IsUnused && d.Storage is not null).Select(d => d.Storage!).Distinct(StringComparer.Ordinal)];
        }
        catch (ProxmoxException ex)
        {
            _logger.LogWarning("Could not read the disks of VM {VmId}: {Error}", source.VmId, ex.Message);
            return [];
        }
    }

    private static object Details(Deployment d) => new
    {
        source = d.SourceVmId, snapshot = d.SourceSnapshot, name = d.Name, node = d.TargetNode, elected = d.NodeElected, storage = d.Storage,
        full = d.FullClone, vmid = d.VmId, cores = d.Cores, memory = d.MemoryMb, ciuser = d.CiUser, sshKeys = DeploymentRules.KeyLines(d.SshKeys).Count,
        ipconfig0 = d.IpConfig0, start = d.StartAfter,
    };

    private static ValidationException Invalid(Dictionary<string, string> errors) =>
        new("The VM was not created: " + string.Join(" ", errors.Values), errors);

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string FormatGiB(long bytes) => (bytes / 1024d / 1024 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";

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
