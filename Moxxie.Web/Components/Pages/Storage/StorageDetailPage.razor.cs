using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Storage;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Storage;

/// <summary>/storage/{storage}: usage, configuration, content browser (tabs per content type, node selectable when the storage
/// is local), streamed ISO/template upload (Operators, Admins) and enable/disable (Admins, confirmed). Content reloads when an
/// upload's import task ends; usage follows the inventory.</summary>
public sealed partial class StorageDetailPage(
    StorageService storage,
    InventoryHub hub,
    NavigationManager navigation,
    DialogService dialogs,
    NotificationService notifications,
    CircuitUserContext user,
    IAuthorizationService authorization) : IDisposable
{
    /// <summary>Configuration keys shown by the fixed rows above (or not worth showing).</summary>
    private static readonly HashSet<string> Shown = new(StringComparer.Ordinal) { "type", "content", "nodes", "shared", "disable", "digest", "storage" };

    private readonly CancellationTokenSource _cts = new();
    private readonly HashSet<string> _uploadTasks = new(StringComparer.Ordinal);
    private IDisposable? _subscription;
    private StorageOverview? _overview;
    private IReadOnlyList<StorageContentItem>? _content;
    private string? _node;
    private string? _loadedFor;
    private string? _error, _contentError;
    private bool _loading = true;
    private bool _notFound;
    private bool _multiConnection;
    private bool _canOperate, _isAdmin;
    private bool _toggleBusy;
    private int _tabIndex;
    private RrdTimeframe _timeframe = RrdTimeframe.Day;
    private IReadOnlyList<StorageUsagePoint>? _history;
    private string? _historyError;

    [Parameter] public string Storage { get; set; } = "";
    [SupplyParameterFromQuery(Name = "connection")] public string? Connection { get; set; }
    [SupplyParameterFromQuery(Name = "node")] public string? NodeQuery { get; set; }
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private IReadOnlyList<string> Tabs => _overview is null ? [] : StorageContentKinds.TabsFor(_overview);

    private IReadOnlyList<string> Uploadable => _overview is null ? [] : StorageContentKinds.UploadableTo(_overview);

    private IEnumerable<(string Key, string Value)> ConfigRows =>
        (_overview?.Config?.Properties ?? new Dictionary<string, string>())
            .Where(kv => !Shown.Contains(kv.Key))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, kv.Value));

    private IReadOnlyList<StorageContentItem> ItemsOf(string tab) =>
        [.. (_content ?? []).Where(i => StorageContentKinds.TabOf(i.Content) == tab)];

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is null) return;
        var auth = await AuthenticationState;
        _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        _isAdmin = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.AdminPolicy)).Succeeded;
    }

    protected override async Task OnParametersSetAsync()
    {
        await LoadOverviewAsync();
        await LoadContentIfNeededAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _subscription = hub.Subscribe(e => InvokeAsync(() => OnInventoryEventAsync(e)));
    }

    private async Task OnInventoryEventAsync(InventoryEvent e)
    {
        switch (e)
        {
            case SnapshotUpdated when _overview is not null || _loading:
                await LoadOverviewAsync();
                await LoadContentIfNeededAsync();
                break;
            case TaskUpdated { Task: { Running: false } task } when _uploadTasks.Remove(task.Upid):
                if (task.Status is { Failed: true } failed)
                    notifications.Notify(NotificationSeverity.Error, "Import failed", failed.ExitStatus ?? "failed", TimeSpan.FromSeconds(12));
                await LoadContentAsync();
                break;
            default:
                return;
        }
        StateHasChanged();
    }

    private async Task LoadOverviewAsync()
    {
        try
        {
            var list = await storage.ListAsync(null, Connection, _cts.Token);
            _multiConnection = list.Items.Select(i => i.Connection).Distinct(StringComparer.Ordinal).Count() > 1;
            _overview = list.Items.FirstOrDefault(s => string.Equals(s.Storage, Storage, StringComparison.Ordinal));
            _loading = _overview is null && (list.Loading || hub.Snapshots.Any(s => !s.Loaded && s.Error is null));
            _notFound = _overview is null && !_loading;
            _error = null;
            if (_overview is { } o)
                _node = NodeQuery is { } q && o.Nodes.Contains(q, StringComparer.Ordinal) ? q
                    : _node is { } n && o.Nodes.Contains(n, StringComparer.Ordinal) ? n
                    : o.DefaultNode;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _loading = false;
            _error = ex.Message;
        }
    }

    /// <summary>Content is read once per storage and node (and on demand), not on every inventory poll.</summary>
    private Task LoadContentIfNeededAsync() =>
        _overview is not null && _node is not null && _loadedFor != Key ? LoadContentAsync() : Task.CompletedTask;

    private string Key => $"{_overview?.Connection}/{_overview?.Storage}/{_node}";

    private async Task LoadContentAsync()
    {
        if (_overview is not { } o || _node is not { } node) return;
        _loadedFor = Key;
        await Task.WhenAll(LoadVolumesAsync(o, node), LoadHistoryAsync());
    }

    private async Task LoadHistoryAsync()
    {
        if (_overview is not { } o || _node is not { } node) return;
        try
        {
            _history = await storage.HistoryAsync(o.Connection, o.Storage, node, _timeframe, _cts.Token);
            _historyError = null;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _historyError = ex.Message;
        }
    }

    private async Task SetTimeframeAsync(RrdTimeframe timeframe)
    {
        _timeframe = timeframe;
        _history = null;
        await LoadHistoryAsync();
    }

    private async Task LoadVolumesAsync(StorageOverview o, string node)
    {
        try
        {
            _content = await storage.ContentAsync(o.Connection, o.Storage, node, _cts.Token);
            _contentError = null;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _contentError = ex.Message;
            _content ??= [];
        }
    }

    private void SelectNode(string node)
    {
        if (node == _node) return;
        _content = null;
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("node", node), replace: true);
    }

    private async Task OnUploadedAsync(StorageActionResult result)
    {
        if (result.Upid is { } upid) _uploadTasks.Add(upid);
        _tabIndex = 0;
        await LoadContentAsync();
    }

    private async Task ToggleEnabledAsync()
    {
        if (_overview is not { } s || _toggleBusy) return;
        _toggleBusy = true;
        try
        {
            var enable = !s.Enabled;
            var confirmed = await ConfirmDialog.AskAsync(dialogs, enable ? $"Enable {s.Storage}?" : $"Disable {s.Storage}?",
                enable ? $"Enable storage {s.Storage} on every node it is configured for?" : $"Disable storage {s.Storage}?",
                enable ? null : "Guests with disks on it cannot start and backups to it fail until it is enabled again. Nothing on it is deleted.",
                danger: !enable);
            if (!confirmed) return;
            var result = await storage.SetEnabledAsync(await user.GetActorAsync(), s.Connection, s.Storage, enable, _cts.Token);
            notifications.Notify(result.Success ? NotificationSeverity.Success : NotificationSeverity.Error,
                result.Success ? result.Message : $"Could not {(enable ? "enable" : "disable")} {s.Storage}", result.Success ? "" : result.Message,
                TimeSpan.FromSeconds(result.Success ? 5 : 12));
            await LoadOverviewAsync();
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
            _toggleBusy = false;
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
