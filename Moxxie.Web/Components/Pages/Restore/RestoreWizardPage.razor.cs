using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Backups;
using Moxxie.Core.Restore;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Web.Components.Shared;

namespace Moxxie.Web.Components.Pages.Restore;

/// <summary>How the wizard picks the target VMID.</summary>
public enum VmIdChoice { NextFree, Same, Overwrite, Other }

/// <summary>/backups/restore?volid=…[&amp;connection=&amp;node=]: the restore wizard. Steps: backup summary → target (VMID, node,
/// name) → storage and bridge mapping → options (new MACs, start after) → confirm (typed name for an overwrite) → live
/// progress of PVE's qmrestore task, then a link to the VM. The checks are <see cref="RestoreService"/>'s: its
/// per-field errors send the user back to the step that owns the field.</summary>
[Authorize(Policy = MoxxieRoles.CanOperatePolicy)]
public sealed partial class RestoreWizardPage(RestoreService restore, InventoryHub hub, CircuitUserContext user) : IDisposable
{
    public static readonly string[] StepNames = ["Backup", "Target", "Mapping", "Options", "Confirm", "Progress"];
    private const int ConfirmStep = 4, ProgressStep = 5;

    private readonly CancellationTokenSource _cts = new();
    private IDisposable? _subscription;
    private RestorePlan? _plan;
    private string? _loadError;
    private bool _loading = true;
    private int _step;
    private bool _busy;

    // choices
    private VmIdChoice _vmIdChoice = VmIdChoice.NextFree;
    private int? _otherVmId;
    private string _node = "";
    private string? _name;
    private string _storage = "";
    private Dictionary<string, string> _bridges = new(StringComparer.Ordinal);
    private bool _uniqueMacs = true;
    private bool _start = true;
    private string? _confirm;

    // outcome
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private string? _error;
    private RestoreResult? _result;
    private TrackedTask? _task;

    [SupplyParameterFromQuery(Name = "volid")] public string? VolId { get; set; }
    [SupplyParameterFromQuery(Name = "connection")] public string? Connection { get; set; }
    [SupplyParameterFromQuery(Name = "node")] public string? SourceNode { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_result is not null) return;
        _loading = true;
        _loadError = null;
        try
        {
            _plan = await restore.PlanAsync(BackupRef.FromVolId(VolId ?? "", Connection, SourceNode), _cts.Token);
            _node = _plan.SourceNode;
            _vmIdChoice = _plan.ExistingVm is null && _plan.BackupVmId is not null ? VmIdChoice.Same : VmIdChoice.NextFree;
            _bridges = _plan.Nics.ToDictionary(n => n.Key, n => n.Bridge ?? "", StringComparer.Ordinal);
            FitToNode();
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ValidationException or ProxmoxException or KeyNotFoundException)
        {
            _loadError = ex.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _subscription = hub.Subscribe(e => InvokeAsync(() => OnEvent(e)));
    }

    private void OnEvent(InventoryEvent e)
    {
        if (e is TaskUpdated { Task: var t } && t.Upid == _result?.Upid)
        {
            _task = t;
            StateHasChanged();
        }
    }

    private RestoreTargetNode? Target => _plan?.Node(_node);

    /// <summary>Bridges a NIC cannot keep on the chosen node are cleared (the user must choose); a storage the node lacks too.</summary>
    private void FitToNode()
    {
        if (_plan is null || Target is not { } target) return;
        foreach (var nic in _plan.Nics)
        {
            var current = _bridges.GetValueOrDefault(nic.Key) ?? "";
            if (current.Length > 0 && !target.HasBridge(current)) _bridges[nic.Key] = nic.Bridge is { } b && target.HasBridge(b) ? b : "";
        }
        if (_storage.Length > 0 && !target.HasStorage(_storage)) _storage = "";
    }

    private void SetNode(ChangeEventArgs e)
    {
        _node = e.Value?.ToString() ?? "";
        FitToNode();
    }

    private void SetBridge(string key, ChangeEventArgs e) => _bridges[key] = e.Value?.ToString() ?? "";

    private void SetStorage(ChangeEventArgs e) => _storage = e.Value?.ToString() ?? "";

    private void SetOtherVmId(ChangeEventArgs e) =>
        _otherVmId = int.TryParse(e.Value?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private void Go(int step)
    {
        if (step < 0 || step >= ProgressStep || _result is not null) return;
        _step = step;
    }

    private int? ChosenVmId => _vmIdChoice switch
    {
        VmIdChoice.Same => _plan?.BackupVmId,
        VmIdChoice.Overwrite => _plan?.ExistingVm?.VmId,
        VmIdChoice.Other => _otherVmId,
        _ => null,
    };

    private string ChosenVmIdText => ChosenVmId?.ToString(CultureInfo.InvariantCulture) ?? $"next free ({_plan?.NextFreeVmId})";

    private bool Overwriting => _vmIdChoice == VmIdChoice.Overwrite && _plan?.ExistingVm is not null;

    private RestoreRequest Request() => new(_plan!.Archive.VolId)
    {
        Connection = _plan.Connection,
        SourceNode = _plan.SourceNode,
        VmId = ChosenVmId,
        Overwrite = Overwriting,
        Confirm = Overwriting ? _confirm : null,
        Node = _node,
        Storage = _storage.Length == 0 ? null : _storage,
        Bridges = _plan.Nics.ToDictionary(n => n.Key, n => _bridges.GetValueOrDefault(n.Key) ?? "", StringComparer.Ordinal),
        UniqueMacs = _uniqueMacs,
        Start = _start,
        Name = string.IsNullOrWhiteSpace(_name) ? null : _name.Trim(),
    };

    private async Task RestoreAsync()
    {
        if (_plan is null || _busy || _result is not null) return;
        _busy = true;
        _error = null;
        _errors = new Dictionary<string, string>();
        try
        {
            _result = await restore.RestoreAsync(await user.GetActorAsync(), Request(), _cts.Token);
            _task = hub.TrackedTasks.FirstOrDefault(t => t.Upid == _result.Upid);
            _step = ProgressStep;
        }
        catch (ValidationException ex)
        {
            _errors = ex.Errors;
            _step = ex.Errors.Keys.Select(StepOf).DefaultIfEmpty(ConfirmStep).Min();
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or ForbiddenException or KeyNotFoundException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>The step where a field of the request is chosen.</summary>
    public static int StepOf(string field) => field switch
    {
        "volid" or "connection" => 0,
        "vmId" or "node" or "name" => 1,
        "storage" => 2,
        _ when field.StartsWith("bridges.", StringComparison.Ordinal) => 2,
        "confirm" => ConfirmStep,
        _ => ConfirmStep,
    };

    private string? Error(string field) => _errors.GetValueOrDefault(field);

    private bool Done => _task is { Running: false };
    private bool Succeeded => _task is { Running: false, Status.ExitStatus: { } s } && (s == "OK" || s.StartsWith("WARNINGS", StringComparison.Ordinal));

    private string VmHref => _result is { } r ? $"vms/{r.VmId}?connection={Uri.EscapeDataString(r.Connection)}" : "vms";

    private static string Size(long? bytes) => bytes is { } b ? Formats.Bytes(b) : "—";

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
