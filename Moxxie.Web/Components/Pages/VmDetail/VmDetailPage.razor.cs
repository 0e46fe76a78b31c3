using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Backups;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Snapshots;
using Moxxie.Core.VmDetail;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.VmDetail;

/// <summary>/vms/{vmid}[?connection=]: header with power controls, resource cards with rrd charts and live values from the
/// inventory, and the config tabs. Live: the VM follows the inventory; tasks reload when one of this VM's tasks changes;
/// history refreshes every <see cref="RefreshEvery"/>.</summary>
public sealed partial class VmDetailPage(
    VmDetailService details,
    SnapshotService snapshotService,
    BackupService backupService,
    VmService vms,
    InventoryHub hub,
    DialogService dialogs,
    NotificationService notifications,
    CircuitUserContext user,
    IAuthorizationService authorization,
    TimeProvider time) : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _cts = new();
    private IDisposable? _subscription;
    private PeriodicTimer? _timer;
    private VmView? _vm;
    private VmConfigResult? _config;
    private GuestStatusDetail? _status;
    private IReadOnlyList<VmMetricPoint>? _metrics;
    private SnapshotTree? _snapshots;
    private int? _backupCount;
    private IReadOnlyList<PveTask>? _tasks;
    private IReadOnlyList<GuestAgentInterface>? _agentInterfaces;
    private string? _agentError;
    private RrdTimeframe _timeframe = RrdTimeframe.Hour;
    private int _tab;
    private bool _loading = true;
    private bool _notFound;
    private bool _canOperate;
    private bool _powerBusy;
    private bool _snapshotBusy;
    private VmSnapshotList.Progress? _snapshotProgress;
    private bool _tasksReloadQueued;
    private string? _error, _configError, _metricsError, _snapshotsError, _tasksError;

    [Parameter] public int VmId { get; set; }
    [SupplyParameterFromQuery(Name = "connection")] public string? Connection { get; set; }
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private DateTimeOffset Now => time.GetUtcNow();
    private bool LongRange => _timeframe == RrdTimeframe.Week;
    private string ChartEmptyText => _metrics is null && _metricsError is null ? "Loading…" : "No data for this period.";

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var auth = await AuthenticationState;
            _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _config = null; _status = null; _metrics = null; _snapshots = null; _backupCount = null; _tasks = null;
        _configError = _metricsError = _snapshotsError = _tasksError = null;
        FindVm();
        if (_vm is not null) await LoadAllAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _subscription = hub.Subscribe(e => InvokeAsync(() => OnInventoryEventAsync(e)));
        _ = RefreshLoopAsync();
    }

    private void FindVm()
    {
        try
        {
            _error = null;
            _vm = details.Find(new VmRef(VmId, string.IsNullOrWhiteSpace(Connection) ? null : Connection.Trim()));
            _loading = _vm is null && hub.Snapshots.Count > 0 && hub.Snapshots.Any(s => !s.Loaded && s.Error is null);
            _notFound = _vm is null && !_loading;
        }
        catch (Exception ex)
        {
            _vm = null;
            _loading = false;
            _error = ex.Message;
        }
    }

    private async Task OnInventoryEventAsync(InventoryEvent e)
    {
        switch (e)
        {
            case SnapshotUpdated:
                var before = _vm;
                FindVm();
                StateHasChanged();
                if (_vm is null) return;
                if (before is null) await LoadAllAsync();
                else if (before.Status != _vm.Status || before.Node != _vm.Node)
                    await Task.WhenAll(LoadStatusAsync(), LoadConfigAsync(), LoadTasksAsync());   // started/stopped/migrated
                break;
            case TaskUpdated { Task: var task } when _vm is not null && task.Id == VmId.ToString(CultureInfo.InvariantCulture):
                await OnSnapshotTaskAsync(task);
                // One reload at a time; a burst of updates (log lines) coalesces into the next one.
                if (_tasksReloadQueued) return;
                _tasksReloadQueued = true;
                try { await LoadTasksAsync(); } finally { _tasksReloadQueued = false; }
                break;
            default:
                return;
        }
        StateHasChanged();
    }

    private async Task RefreshLoopAsync()
    {
        _timer = new PeriodicTimer(RefreshEvery, time);
        try
        {
            while (await _timer.WaitForNextTickAsync(_cts.Token))
                await InvokeAsync(async () =>
                {
                    if (_vm is null) return;
                    await Task.WhenAll(LoadMetricsAsync(), LoadStatusAsync(), LoadAgentAsync());
                    StateHasChanged();
                });
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task LoadAllAsync() => Task.WhenAll(LoadConfigAsync(), LoadStatusAsync(), LoadMetricsAsync(), LoadSnapshotsAsync(), LoadBackupsAsync(), LoadTasksAsync());

    private async Task LoadConfigAsync()
    {
        if (_vm is not { } vm) return;
        (_config, _configError) = await TryAsync(() => details.GetConfigAsync(vm, _cts.Token), _config);
        await LoadAgentAsync();   // needs the config (is the agent enabled?)
    }

    private async Task LoadAgentAsync()
    {
        if (_vm is not { } vm || _config is not { } config) return;
        (_agentInterfaces, _agentError) = await TryAsync(() => details.GetAgentInterfacesAsync(vm, config.Config, _cts.Token), _agentInterfaces);
    }

    private async Task LoadStatusAsync()
    {
        if (_vm is not { } vm) return;
        (_status, _) = await TryAsync(() => details.GetStatusAsync(vm, _cts.Token), _status);   // optional extras (balloon target)
    }

    private async Task LoadMetricsAsync()
    {
        if (_vm is not { } vm) return;
        (_metrics, _metricsError) = await TryAsync(() => details.GetMetricsAsync(vm, _timeframe, _cts.Token), _metrics);
    }

    private async Task LoadSnapshotsAsync()
    {
        if (_vm is not { } vm) return;
        (_snapshots, _snapshotsError) = await TryAsync(() => snapshotService.GetTreeAsync(new VmRef(vm.VmId, vm.Connection), _cts.Token), _snapshots);
    }

    /// <summary>The Backups tab's count until the tab's BackupBrowser reports its own (after each of its loads); a listing
    /// error leaves the label without a count (the tab shows the error).</summary>
    private async Task LoadBackupsAsync()
    {
        if (_vm is not { } vm) return;
        var (list, _) = await TryAsync(() => backupService.ListAsync(new BackupQuery(vm.Connection, null, vm.VmId), _cts.Token), null);
        _backupCount = list?.Items.Count;
    }

    private void OnBackupCount(int count) => _backupCount = count;

    private async Task LoadTasksAsync()
    {
        if (_vm is not { } vm) return;
        (_tasks, _tasksError) = await TryAsync(() => details.GetTasksAsync(vm, 30, _cts.Token), _tasks);
    }

    /// <summary>The value, or the previous one with the error's message (cancellation keeps the previous value silently).</summary>
    private async Task<(T? Value, string? Error)> TryAsync<T>(Func<Task<T>> load, T? previous) where T : class
    {
        try
        {
            return (await load(), null);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            return (previous, null);
        }
        catch (Exception ex)
        {
            return (previous, ex.Message);
        }
    }

    private async Task SetTimeframeAsync(RrdTimeframe timeframe)
    {
        _timeframe = timeframe;
        _metrics = null;
        await LoadMetricsAsync();
    }

    private IReadOnlyList<ChartPoint> Points(Func<VmMetricPoint, double?> value) =>
        _metrics is null ? [] : [.. _metrics.Select(p => (p.Time, Value: value(p))).Where(p => p.Value is not null).Select(p => new ChartPoint(p.Time.LocalDateTime, p.Value!.Value))];

    private static string Rate(double bytesPerSecond) => Formats.Bytes((long)Math.Round(bytesPerSecond)) + "/s";

    private static string NodeHref(VmView vm) => $"nodes/{Uri.EscapeDataString(vm.Node)}?connection={Uri.EscapeDataString(vm.Connection)}";

    /// <summary>Addresses configured for a NIC: cloud-init ipconfigN (qemu) or the container NIC's ip/ip6.</summary>
    private static IEnumerable<string> IpsOf(GuestConfig config, GuestNic nic)
    {
        var ip = config.IpConfigs.FirstOrDefault(c => c.Index == nic.Index);
        foreach (var value in new[] { ip?.Ip ?? nic.Ip, ip?.Ip6 ?? nic.Ip6 })
            if (value is { Length: > 0 } v) yield return v;
    }

    private string? AgentText => _config?.Config.Agent switch
    {
        null or { Enabled: false } => "QEMU guest agent not enabled: the guest's IP addresses are not reported.",
        _ when _vm?.Status != "running" => "QEMU guest agent enabled; the VM is not running.",
        _ when _agentError is not null => $"Guest agent did not answer: {_agentError}",
        _ when _agentInterfaces is { Count: 0 } => "Guest agent reports no addresses.",
        _ => null,
    };

    private async Task PowerAsync(PowerAction action)
    {
        if (_vm is not { } vm || _powerBusy) return;
        _powerBusy = true;
        try
        {
            if (StatusStyles.IsDestructive(action))
            {
                var confirmed = await ConfirmDialog.AskAsync(dialogs, $"{action} {vm.Name}?", $"{action} {vm.Name} ({vm.VmId}) on {vm.Node}?", ConfirmDetail(action));
                if (!confirmed) return;
            }
            var result = await vms.PowerAsync(await user.GetActorAsync(), new VmRef(vm.VmId, vm.Connection), action, _cts.Token);
            if (result.Success)
            {
                notifications.Notify(NotificationSeverity.Info, $"{action} of {vm.Name} started", $"Task {result.Upid}", TimeSpan.FromSeconds(6));
                await LoadTasksAsync();
            }
            else
                notifications.Notify(NotificationSeverity.Error, $"{action} of {vm.Name} failed", result.Message, TimeSpan.FromSeconds(12));
        }
        catch (ForbiddenException ex)
        {
            notifications.Notify(NotificationSeverity.Error, "Not allowed", ex.Message, TimeSpan.FromSeconds(12));
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            notifications.Notify(NotificationSeverity.Error, $"{action} of {vm.Name} failed", ex.Message, TimeSpan.FromSeconds(12));
        }
        finally
        {
            _powerBusy = false;
        }
    }

    private Task RollbackAsync((string Name, bool Start) request) => SnapshotActionAsync(
        $"Roll back to {request.Name}?",
        $"Everything that changed in {_vm?.Name} since snapshot {request.Name} was taken (disks{(_vm?.Status == "running" ? ", and the running state" : "")}) is lost."
            + (request.Start ? " The VM is started afterwards." : ""),
        "Rollback",
        (actor, vm) => snapshotService.RollbackAsync(actor, vm, request.Name, request.Start, _cts.Token));

    private Task DeleteSnapshotAsync(string name) => SnapshotActionAsync(
        $"Delete snapshot {name}?", $"Snapshot {name} of {_vm?.Name} is removed for good; the VM itself is not changed.", "Deletion",
        (actor, vm) => snapshotService.DeleteAsync(actor, vm, name, _cts.Token));

    private async Task SnapshotActionAsync(string title, string detail, string what, Func<Actor, VmRef, Task<SnapshotActionResult>> action)
    {
        if (_vm is not { } vm || _snapshotBusy) return;
        _snapshotBusy = true;
        try
        {
            if (!await ConfirmDialog.AskAsync(dialogs, title, title, detail)) return;
            var result = await action(await user.GetActorAsync(), new VmRef(vm.VmId, vm.Connection));
            notifications.Notify(NotificationSeverity.Info, result.Message, $"Task {result.Upid}", TimeSpan.FromSeconds(6));
            await Task.WhenAll(LoadTasksAsync(), LoadSnapshotsAsync());
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ForbiddenException or ProxmoxException or Moxxie.Core.Validation.ValidationException or KeyNotFoundException)
        {
            notifications.Notify(NotificationSeverity.Error, $"{what} failed", ex.Message, TimeSpan.FromSeconds(12));
        }
        finally
        {
            _snapshotBusy = false;
        }
    }

    /// <summary>New snapshot: the dialog checks the fields and sends; the tab then shows PVE's progress until the task ends.</summary>
    private async Task CreateSnapshotAsync()
    {
        if (_vm is not { } vm || _snapshotBusy || _snapshotProgress is not null) return;
        _snapshotBusy = true;
        try
        {
            var qemu = vm.Guest.Type == GuestType.Qemu;
            var running = vm.Status == "running";
            var existing = _snapshots?.Flat.Select(n => n.Name).ToList() ?? [];
            string? name = null;
            var result = await CreateSnapshotDialog.AskAsync(dialogs, vm.Name, existing, qemu && running,
                !qemu ? "Containers have no RAM state to save." : $"Only while the VM runs (it is {vm.Status}).",
                async request =>
                {
                    name = request.Name;
                    return await snapshotService.CreateAsync(await user.GetActorAsync(), new VmRef(vm.VmId, vm.Connection), request, _cts.Token);
                });
            if (result is null) return;
            _snapshotProgress = new VmSnapshotList.Progress($"Creating snapshot {name}…", result.Upid, null, null);
            notifications.Notify(NotificationSeverity.Info, result.Message, $"Task {result.Upid}", TimeSpan.FromSeconds(6));
            await LoadTasksAsync();
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        finally
        {
            _snapshotBusy = false;
        }
    }

    private Task<SnapshotSize> LoadSnapshotSizeAsync(string name) =>
        _vm is { } vm ? snapshotService.GetSizeAsync(new VmRef(vm.VmId, vm.Connection), name, _cts.Token) : Task.FromResult(new SnapshotSize(null, null, "—"));

    private static readonly HashSet<string> SnapshotTaskTypes = ["qmsnapshot", "qmdelsnapshot", "qmrollback", "vzsnapshot", "vzdelsnapshot", "vzrollback"];

    /// <summary>Follows the snapshot task started here (progress, PVE's message on failure); whenever a snapshot task of this
    /// VM ends (here, elsewhere, or the TTL reaper's deletion) the tree is read again.</summary>
    private async Task OnSnapshotTaskAsync(TrackedTask task)
    {
        if (_vm is not { } vm || task.Connection != vm.Connection) return;
        if (_snapshotProgress is { } progress && progress.Upid == task.Upid)
        {
            _snapshotProgress = task.Running
                ? progress with { Percent = task.Percent, LastLine = task.Log.Count > 0 ? task.Log[^1].Text : null }
                : null;
            if (task is { Running: false, Status: { Succeeded: false } failed })
                notifications.Notify(NotificationSeverity.Error, "Snapshot failed", failed.ExitStatus ?? "unknown error", TimeSpan.FromSeconds(12));
        }
        if (!task.Running && SnapshotTaskTypes.Contains(task.Type)) await LoadSnapshotsAsync();
        // A backup of this VM finished (Backup now, a bulk or scheduled backup): the Backups tab's count follows even while
        // another tab is open (the tab's BackupBrowser, when open, reloads and reports its own count as well).
        if (!task.Running && task.Type == "vzdump") await LoadBackupsAsync();
    }

    private static string ConfirmDetail(PowerAction action) => action switch
    {
        PowerAction.Stop => "Stop cuts the power immediately: unsaved data in the guest is lost.",
        PowerAction.Shutdown => "The guest OS is asked to shut down cleanly.",
        PowerAction.Reboot => "The guest OS is asked to reboot; its services go down for a while.",
        PowerAction.Reset => "Reset restarts the guest immediately, like pressing the reset button.",
        _ => "",
    };

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _timer?.Dispose();
        _cts.Dispose();
    }
}
