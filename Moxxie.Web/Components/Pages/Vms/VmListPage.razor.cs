using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Clusters;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>/vms: filters in the URL (status, tag, node, q), rows from the in-memory inventory, live through
/// InventoryHub, power actions through VmService (which checks the role again and audits).</summary>
public sealed partial class VmListPage(
    VmService vms,
    ClusterService clusters,
    InventoryHub hub,
    NavigationManager navigation,
    DialogService dialogs,
    NotificationService notifications,
    CircuitUserContext user,
    IAuthorizationService authorization) : IDisposable
{
    private static readonly IReadOnlyList<Option> s_statuses =
        [new("All", ""), new("Running", "running"), new("Stopped", "stopped"), new("Paused", "paused")];

    private readonly CancellationTokenSource _cts = new();
    private readonly HashSet<string> _busy = [];
    private CancellationTokenSource? _nameDebounce;
    private IDisposable? _subscription;
    private VmListState _state = VmListState.Loading;
    private bool _canOperate;
    private string? _nameInput;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [SupplyParameterFromQuery(Name = "status")] public string? Status { get; set; }
    [SupplyParameterFromQuery(Name = "tag")] public string[]? Tag { get; set; }
    [SupplyParameterFromQuery(Name = "node")] public string? Node { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? Q { get; set; }

    private bool HasFilters => !string.IsNullOrEmpty(Status) || Tag is { Length: > 0 } || !string.IsNullOrEmpty(Node) || !string.IsNullOrEmpty(Q);

    private IReadOnlyList<Option> NodeOptions => [new("All nodes", ""), .. _state.AllNodes.Select(n => new Option(n, n))];

    private string CountText => _state.IsLoading ? "" : _state.Rows.Count == _state.Total
        ? $"{_state.Total} guests"
        : $"{_state.Rows.Count} of {_state.Total} guests";

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var auth = await AuthenticationState;
            _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        }
    }

    protected override void OnParametersSet()
    {
        _nameInput = Q;
        Reload();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive circuit subscribes; a reconnecting circuit is a new one and starts from fresh data.
        if (firstRender)
            _subscription = hub.Subscribe(OnInventoryEventAsync);
    }

    private Task OnInventoryEventAsync(InventoryEvent e) =>
        e is TaskUpdated ? Task.CompletedTask : InvokeAsync(() => { Reload(); StateHasChanged(); });

    private void Reload()
    {
        try
        {
            var overviews = clusters.Overviews();
            if (overviews.Count > 0 && overviews.All(o => o.LastUpdated is null && o.Error == ClusterStates.NotLoaded))
            {
                _state = VmListState.Loading;   // first poll not in yet
                return;
            }
            var all = vms.List(new VmFilter());
            var filter = new VmFilter(
                Tags: Tag is { Length: > 0 } ? Tag : null,
                Status: NullIfEmpty(Status),
                Node: NullIfEmpty(Node),
                Name: NullIfEmpty(Q));
            var rows = vms.List(filter).Select(VmRow.From).ToList();
            _state = VmListState.Loaded(rows, all, ClusterStates.Problems(overviews), overviews.Count == 0);
        }
        catch (Exception ex)
        {
            _state = _state with { IsLoading = false, Error = ex.Message };
        }
    }

    private async Task RunActionAsync(VmActionRequest request)
    {
        var (vm, action) = request;
        if (!_busy.Add(vm.Key)) return;   // re-entrancy guard per VM
        try
        {
            if (StatusStyles.IsDestructive(action))
            {
                var confirmed = await ConfirmDialog.AskAsync(dialogs, $"{action} {vm.Name}?",
                    $"{action} {vm.Name} ({vm.VmId}) on {vm.Node}?", ConfirmDetail(action));
                if (!confirmed) return;
            }

            var actor = await user.GetActorAsync();
            var result = await vms.PowerAsync(actor, new VmRef(vm.VmId, vm.Connection), action, _cts.Token);
            if (result.Success)
                notifications.Notify(NotificationSeverity.Info, $"{action} of {vm.Name} started", $"Task {result.Upid}", TimeSpan.FromSeconds(6));
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
            _busy.Remove(vm.Key);
        }
    }

    private static string ConfirmDetail(PowerAction action) => action switch
    {
        PowerAction.Stop => "Stop cuts the power immediately: unsaved data in the guest is lost.",
        PowerAction.Shutdown => "The guest OS is asked to shut down cleanly.",
        PowerAction.Reboot => "The guest OS is asked to reboot; its services go down for a while.",
        PowerAction.Reset => "Reset restarts the guest immediately, like pressing the reset button.",
        _ => "",
    };

    private void SetStatus(string? status) => Navigate(status: status ?? "");

    private void SetNode(string? node) => Navigate(node: node ?? "");

    private void SetTags(IEnumerable<string>? tags) => Navigate(tags: tags?.ToArray() ?? []);

    private void AddTag(string tag)
    {
        if (Tag?.Contains(tag) == true) return;
        Navigate(tags: [.. Tag ?? [], tag]);
    }

    private void ClearFilters()
    {
        _nameInput = null;
        Navigate(status: "", tags: [], node: "", q: "");
    }

    private async Task OnNameInput(ChangeEventArgs e)
    {
        _nameInput = e.Value as string;
        _nameDebounce?.Cancel();
        _nameDebounce?.Dispose();
        _nameDebounce = new CancellationTokenSource();
        var token = _nameDebounce.Token;
        try
        {
            await Task.Delay(300, token);   // debounce typing; the URL changes once the user pauses
            Navigate(q: _nameInput ?? "");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ApplyNameNow() => Navigate(q: _nameInput ?? "");

    /// <summary>Filters live in the URL (shareable); null keeps a value, "" / empty removes it.</summary>
    private void Navigate(string? status = null, string[]? tags = null, string? node = null, string? q = null)
    {
        var parameters = new Dictionary<string, object?>
        {
            ["status"] = NullIfEmpty(status ?? Status),
            ["tag"] = (tags ?? Tag) is { Length: > 0 } t ? t : null,
            ["node"] = NullIfEmpty(node ?? Node),
            ["q"] = NullIfEmpty(q ?? Q),
        };
        navigation.NavigateTo(navigation.GetUriWithQueryParameters(parameters), replace: true);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public void Dispose()
    {
        _subscription?.Dispose();
        _nameDebounce?.Cancel();
        _nameDebounce?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }

    private sealed record Option(string Text, string Value);
}

/// <summary>What the VM list shows.</summary>
public sealed record VmListState(
    bool IsLoading,
    IReadOnlyList<VmRow> Rows,
    int Total,
    IReadOnlyList<string> AllTags,
    IReadOnlyList<string> AllNodes,
    IReadOnlyList<string> Unreachable,
    bool NoConnections,
    string? Error)
{
    public static VmListState Loading { get; } = new(true, [], 0, [], [], [], false, null);

    public static VmListState Loaded(IReadOnlyList<VmRow> rows, IReadOnlyList<VmView> all, IReadOnlyList<string> unreachable, bool noConnections) => new(
        false,
        rows,
        all.Count,
        [.. all.SelectMany(v => v.Guest.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        [.. all.Select(v => v.Node).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        unreachable,
        noConnections,
        null);
}
