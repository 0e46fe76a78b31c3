using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Inventory;
using Moxxie.Core.Nodes;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Nodes;

/// <summary>/nodes/{node}: status, load history, services (with actions), recent tasks; node reboot/shutdown for Admins.
/// Live: the node's online state follows the inventory; services and tasks reload when a service task Moxxie started ends;
/// status and history refresh every <see cref="RefreshEvery"/>.</summary>
public sealed partial class NodeDetailPage(
    NodeManagementService nodes,
    InventoryHub hub,
    DialogService dialogs,
    NotificationService notifications,
    CircuitUserContext user,
    IAuthorizationService authorization,
    TimeProvider time) : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _cts = new();
    private readonly HashSet<string> _busyServices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _serviceTasks = new(StringComparer.Ordinal);   // upid → service
    private IDisposable? _subscription;
    private PeriodicTimer? _timer;
    private NodeCard? _card;
    private NodeStatusDetail? _status;
    private IReadOnlyList<NodeLoadPoint>? _load;
    private IReadOnlyList<NodeService>? _services;
    private IReadOnlyList<PveTask>? _tasks;
    private RrdTimeframe _timeframe = RrdTimeframe.Hour;
    private bool _loading = true;
    private bool _notFound;
    private bool _canOperate;
    private bool _isAdmin;
    private bool _commandBusy;
    private string? _error, _statusError, _loadError, _servicesError, _tasksError;

    [Parameter] public string Node { get; set; } = "";
    [SupplyParameterFromQuery(Name = "connection")] public string? Connection { get; set; }
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var auth = await AuthenticationState;
            _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
            _isAdmin = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.AdminPolicy)).Succeeded;
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        _status = null; _load = null; _services = null; _tasks = null;
        _statusError = _loadError = _servicesError = _tasksError = null;
        FindCard();
        if (_card is not null) await LoadAllAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _subscription = hub.Subscribe(e => InvokeAsync(() => OnInventoryEventAsync(e)));
        _ = RefreshLoopAsync();
    }

    /// <summary>Finds the node in the inventory; "loading" until the first poll of its connection is in.</summary>
    private void FindCard()
    {
        try
        {
            _error = null;
            _card = nodes.Find(Node, Connection);
            _loading = _card is null && hub.Snapshots.Count > 0 && hub.Snapshots.Any(s => !s.Loaded && s.Error is null);
            _notFound = _card is null && !_loading;
        }
        catch (Exception ex)
        {
            _card = null;
            _loading = false;
            _error = ex.Message;
        }
    }

    private async Task OnInventoryEventAsync(InventoryEvent e)
    {
        switch (e)
        {
            case SnapshotUpdated:
                var wasOnline = _card?.Online;
                var hadCard = _card is not null;
                FindCard();
                StateHasChanged();
                if (_card is not null && (!hadCard || (_card.Online && wasOnline == false))) await LoadAllAsync();
                break;
            case TaskUpdated { Task: { Running: false } task } when _serviceTasks.Remove(task.Upid, out var service):
                _busyServices.Remove(service);
                if (task.Status is { Failed: true } failed)
                    notifications.Notify(NotificationSeverity.Error, $"{service} on {Node}", failed.ExitStatus ?? "failed", TimeSpan.FromSeconds(12));
                await Task.WhenAll(LoadServicesAsync(), LoadTasksAsync());
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
                    if (_card is not { Online: true }) return;
                    await Task.WhenAll(LoadStatusAsync(), LoadHistoryAsync(), LoadServicesAsync());
                    StateHasChanged();
                });
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task LoadAllAsync() => _card is { Online: true }
        ? Task.WhenAll(LoadStatusAsync(), LoadHistoryAsync(), LoadServicesAsync(), LoadTasksAsync())
        : Task.CompletedTask;

    private async Task LoadStatusAsync()
    {
        if (_card is not { } card) return;
        (_status, _statusError) = await TryAsync(() => nodes.GetStatusAsync(card, _cts.Token), _status);
    }

    private async Task LoadHistoryAsync()
    {
        if (_card is not { } card) return;
        (_load, _loadError) = await TryAsync(() => nodes.GetLoadAsync(card, _timeframe, _cts.Token), _load);
    }

    private async Task LoadServicesAsync()
    {
        if (_card is not { } card) return;
        (_services, _servicesError) = await TryAsync(() => nodes.GetServicesAsync(card, _cts.Token), _services);
    }

    private async Task LoadTasksAsync()
    {
        if (_card is not { } card) return;
        (_tasks, _tasksError) = await TryAsync(() => nodes.GetTasksAsync(card, 20, _cts.Token), _tasks);
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
        _load = null;
        await LoadHistoryAsync();
    }

    private async Task ServiceActionAsync(ServiceActionRequest request)
    {
        if (_card is not { } card || !_busyServices.Add(request.Service)) return;
        var started = false;
        try
        {
            var confirmed = await ConfirmDialog.AskAsync(dialogs, $"{request.Action} {request.Service}?",
                $"{request.Action} {request.Service} on {card.Name}?", ServiceDetail(request), danger: request.Action != ServiceAction.Start);
            if (!confirmed) return;
            var result = await nodes.ServiceActionAsync(await user.GetActorAsync(), card, request.Service, request.Action, _cts.Token);
            if (result is { Success: true, Upid: { } upid })
            {
                started = true;
                _serviceTasks[upid] = request.Service;
                notifications.Notify(NotificationSeverity.Info, $"{request.Action} of {request.Service} started", $"Task {upid}", TimeSpan.FromSeconds(6));
            }
            else
                notifications.Notify(NotificationSeverity.Error, $"{request.Action} of {request.Service} failed", result.Message, TimeSpan.FromSeconds(12));
        }
        catch (ForbiddenException ex)
        {
            notifications.Notify(NotificationSeverity.Error, "Not allowed", ex.Message, TimeSpan.FromSeconds(12));
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        finally
        {
            if (!started) _busyServices.Remove(request.Service);   // else busy until its task ends
        }
    }

    private static string ServiceDetail(ServiceActionRequest request) => (request.Service, request.Action) switch
    {
        ("pveproxy", not ServiceAction.Start) => "The web interface and API of this node are briefly unavailable.",
        ("pve-cluster", not ServiceAction.Start) => "The cluster filesystem (/etc/pve) of this node goes away while it is down.",
        (_, ServiceAction.Stop) => "The service stays stopped until it is started again.",
        _ => "",
    };

    private async Task CommandAsync(NodeCommand command)
    {
        if (_card is not { } card || _commandBusy) return;
        _commandBusy = true;
        try
        {
            var typed = await NodeCommandDialog.AskAsync(dialogs, card.Name, command);
            if (typed is null) return;
            var result = await nodes.NodeCommandAsync(await user.GetActorAsync(), card, command, typed, _cts.Token);
            notifications.Notify(result.Success ? NotificationSeverity.Warning : NotificationSeverity.Error,
                result.Success ? (command == NodeCommand.Reboot ? "Node rebooting" : "Node shutting down") : $"{command} of {card.Name} failed",
                result.Message, TimeSpan.FromSeconds(12));
        }
        catch (ForbiddenException ex)
        {
            notifications.Notify(NotificationSeverity.Error, "Not allowed", ex.Message, TimeSpan.FromSeconds(12));
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        finally
        {
            _commandBusy = false;
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _timer?.Dispose();
        _cts.Dispose();
    }
}
