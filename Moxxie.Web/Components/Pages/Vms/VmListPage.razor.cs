using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.JSInterop;
using Moxxie.Core.Inventory;
using Moxxie.Core.Preferences;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Pages.Bulk;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>/vms: filters, sort and page in the URL (shareable; back/forward works) — a change made on the page updates
/// the grid in place and only then the address bar (history.pushState: no router navigation, no re-render of the layout),
/// while a navigation (link, back/forward) reads the URL again; rows from the shared in-memory
/// inventory rows (VmListService), live through InventoryHub — a poll re-renders only the rows whose data changed;
/// the visible columns are remembered per user (UserPreferenceService); power actions through VmService (which checks
/// the role again and audits).</summary>
public sealed partial class VmListPage(
    VmListService list,
    VmService vms,
    InventoryHub hub,
    UserPreferenceService preferences,
    NavigationManager navigation,
    DialogService dialogs,
    NotificationService notifications,
    CircuitUserContext user,
    IAuthorizationService authorization,
    IJSRuntime js) : IDisposable
{
    private static readonly IReadOnlyList<Option> s_statuses =
        [new("All", ""), new("Running", "running"), new("Stopped", "stopped"), new("Paused", "paused")];

    private readonly CancellationTokenSource _cts = new();
    private readonly HashSet<string> _busy = [];
    private readonly HashSet<string> _selected = [];
    private IDisposable? _subscription;
    private VmListQuery _query = new();
    private VmListResult _result = VmListResult.Empty;
    private bool _loading = true;
    private bool _noConnections;
    private bool _multiConnection;
    private string? _error;
    private bool _canOperate;
    private string? _openMenu;
    private bool _columnsOpen;
    private string? _columnsError;
    private int _columns = VmListColumns.AllMask;
    private bool _fit = true;
    private string? _userId;

    /// <summary>The page's URL as the browser shows it (NavigationManager.Uri lags behind in-place changes).</summary>
    private string _uri = "";

    /// <summary>A URL to push once the render of its view has reached the browser (OnAfterRender).</summary>
    private string? _pendingUrl;

    /// <summary>Bumped when the name filter changes other than from the name box (URL, Clear filters): the box's gate.</summary>
    private int _nameBoxVersion;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }


    private IReadOnlyList<Option> NodeOptions => [new("All nodes", ""), .. _nodes.Select(n => new Option(n, n))];

    /// <summary>The tags and nodes the filter controls offer: replaced only when a poll changed them, so that the gated
    /// controls (RenderGate) do not re-render for a new but equal list.</summary>
    private IReadOnlyList<string> _tags = [];
    private IReadOnlyList<string> _nodes = [];

    /// <summary>The tag filter as one value (the query's list is a new array after each parse).</summary>
    private string TagsKey => string.Join('\n', _query.Tags ?? []);

    private bool AllSelected => _result.Matching > 0 && _selected.Count >= _result.Matching
        && list.Matching(_query.Filter).All(r => _selected.Contains(r.Key));

    private string CountText => _loading ? "" : _result.Matching == _result.Total
        ? $"{_result.Total.ToString("N0", CultureInfo.InvariantCulture)} guests"
        : $"{_result.Matching.ToString("N0", CultureInfo.InvariantCulture)} of {_result.Total.ToString("N0", CultureInfo.InvariantCulture)} guests";

    private string RangeText => _result.Matching == 0 ? "No rows"
        : string.Create(CultureInfo.InvariantCulture, $"{_result.First:N0}–{_result.Last:N0} of {_result.Matching:N0}");

    /// <summary>The CSV export of exactly this view: the page's own query string (filters and sort; every page).</summary>
    private string ExportHref => "api/v1/vms/export.csv" + new Uri(_uri).Query;

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var auth = await AuthenticationState;
            _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        }
        try
        {
            _userId = await user.GetUserIdAsync();
            if (_userId is not null)
            {
                var stored = await preferences.GetAsync(_userId, VmListColumns.PreferenceKey, _cts.Token);
                _fit = VmListColumns.FitsToWidth(stored);
                _columns = VmListColumns.Parse(stored);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _columnsError = "Could not load your column choice: " + ex.Message;
        }
    }

    protected override void OnInitialized()
    {
        navigation.LocationChanged += OnLocationChanged;
        ApplyUri(navigation.Uri);
    }

    /// <summary>A navigation (a link, back/forward through the views pushed by this page): the view the URL names.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (!new Uri(e.Location).AbsolutePath.Equals("/vms", StringComparison.OrdinalIgnoreCase)) return;
        _ = InvokeAsync(() =>
        {
            if (ApplyUri(e.Location)) StateHasChanged();
        });
    }

    /// <summary>Reads the view from a URL; false when it is the one shown.</summary>
    private bool ApplyUri(string uri)
    {
        _uri = uri;
        var query = ParseQuery(uri);
        if (SameView(query, _query) && !_loading) return false;
        if (query.Name != _query.Name) _nameBoxVersion++;
        _query = query;
        Reload();
        return true;
    }

    private static VmListQuery ParseQuery(string uri)
    {
        var q = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? One(string key) => q.TryGetValue(key, out var v) ? v.ToString() : null;
        return VmListQuery.FromUrl(One("status"), q.TryGetValue("tag", out var tags) ? tags.Where(t => t is not null).ToArray()! : null,
            One("node"), One("q"), One("sort"), One("dir"), One("page"), One("size")) with { Expression = Clean(One("expr")) };
    }

    /// <summary>Value equality of two views (the record compares its tag lists by reference).</summary>
    private static bool SameView(VmListQuery a, VmListQuery b) =>
        a with { Tags = null } == b with { Tags = null } && (a.Tags ?? []).SequenceEqual(b.Tags ?? [], StringComparer.Ordinal);

    protected override void OnAfterRender(bool firstRender)
    {
        // Only an interactive circuit subscribes; a reconnecting circuit is a new one and starts from fresh data.
        if (firstRender)
            _subscription = hub.Subscribe(OnInventoryEventAsync);
        // The address bar follows the view once the browser has applied its rows (Blazor Server runs this after the
        // browser acknowledged the render): pushState before them made the browser update its history entry, fetch the
        // favicon again and commit a frame while the rows waited behind it in the socket (~5–15 ms of a filter).
        if (_pendingUrl is { } uri)
        {
            _pendingUrl = null;
            _ = PushUrlAsync(uri);
        }
    }

    private Task OnInventoryEventAsync(InventoryEvent e) =>
        e is TaskUpdated ? Task.CompletedTask : InvokeAsync(() =>
        {
            if (Reload()) StateHasChanged();
        });

    /// <summary>Recomputes the rows; false when nothing shown changed (same row instances, counts and facets).</summary>
    private bool Reload()
    {
        try
        {
            var next = list.Query(_query);
            var changed = _loading != next.Loading || _error is not null || !next.SameAs(_result);
            _loading = next.Loading;
            _noConnections = next.Connections == 0;
            _multiConnection = next.Connections > 1;
            _result = next;
            if (!_tags.SequenceEqual(next.Tags, StringComparer.Ordinal)) _tags = next.Tags;
            if (!_nodes.SequenceEqual(next.Nodes, StringComparer.Ordinal)) _nodes = next.Nodes;
            _error = null;
            return changed;
        }
        catch (Exception ex)
        {
            _loading = false;
            _error = ex.Message;
            return true;
        }
    }

    private async Task RunActionAsync(VmRowAction request)
    {
        var (vm, action) = request;
        _openMenu = null;
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
        PowerAction.Suspend => "The guest is paused in memory until it is resumed.",
        _ => "",
    };

    private void ToggleMenu(VmListRow vm) => _openMenu = _openMenu == vm.Key ? null : vm.Key;

    private void ToggleSelected(VmListRow vm)
    {
        if (!_selected.Remove(vm.Key)) _selected.Add(vm.Key);
    }

    private void SelectAll(bool select)
    {
        if (!select)
        {
            _selected.Clear();
            return;
        }
        foreach (var row in list.Matching(_query.Filter)) _selected.Add(row.Key);
    }

    private void ClearSelection() => _selected.Clear();

    /// <summary>Opens the bulk wizard for the selection: every VM matching the filters when all of them are ticked (resolved
    /// again when planned), otherwise the ticked VMs.</summary>
    private void OpenBulk(string operation)
    {
        var href = AllSelected && _query.HasFilters ? BulkWizardLink.ForFilter(operation, _query)
            : AllSelected ? BulkWizardLink.ForFilter(operation, new VmListQuery())
            : BulkWizardLink.ForVms(operation, _selected, _multiConnection);
        navigation.NavigateTo(href);
    }

    private void ToggleColumnsPanel() => _columnsOpen = !_columnsOpen;

    private void OnColumnsKeyDown(KeyboardEventArgs e)
    {
        if (e.Key == "Escape") _columnsOpen = false;
    }

    private Task SetColumnAsync(VmColumn column, bool visible)
    {
        _columns = VmListColumns.With(_columns, column, visible);
        _fit = false;
        return SaveColumnsAsync(VmListColumns.Format(_columns));
    }

    /// <summary>Back to the default: every column, those without room hidden (Uptime, then Disk, then Network).</summary>
    private Task FitColumnsAsync()
    {
        _columns = VmListColumns.AllMask;
        _fit = true;
        return SaveColumnsAsync(VmListColumns.FitToWidth);
    }

    private async Task SaveColumnsAsync(string value)
    {
        if (_userId is null) return;
        try
        {
            await preferences.SetAsync(_userId, VmListColumns.PreferenceKey, value, _cts.Token);
            _columnsError = null;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _columnsError = "Could not save your column choice: " + ex.Message;
        }
    }

    private void SetStatus(string? status) => Navigate(new() { ["status"] = Clean(status), ["page"] = null });

    private void SetNode(string? node) => Navigate(new() { ["node"] = Clean(node), ["page"] = null });

    private void SetExpression(string? expression) => Navigate(new() { ["expr"] = Clean(expression), ["page"] = null });

    private void SetTags(IEnumerable<string>? tags) => Navigate(new() { ["tag"] = tags?.ToArray() is { Length: > 0 } t ? t : null, ["page"] = null });

    private void AddTag(string tag)
    {
        if (_query.Tags?.Contains(tag, StringComparer.OrdinalIgnoreCase) == true) return;
        Navigate(new() { ["tag"] = (_query.Tags ?? []).Append(tag).ToArray(), ["page"] = null });
    }

    private void SetSort(VmColumn column)
    {
        var descending = column == _query.Sort && !_query.Descending;
        Navigate(new()
        {
            ["sort"] = column == VmColumn.VmId && !descending ? null : column.ToString().ToLowerInvariant(),
            ["dir"] = descending ? "desc" : null,
            ["page"] = null,
        });
    }

    private void SetPageSize(ChangeEventArgs e)
    {
        var size = int.TryParse(e.Value as string, CultureInfo.InvariantCulture, out var s) ? s : VmListQuery.DefaultPageSize;
        Navigate(new() { ["size"] = size == VmListQuery.DefaultPageSize ? null : size.ToString(CultureInfo.InvariantCulture), ["page"] = null });
    }

    private void GoToPage(int page) => Navigate(new() { ["page"] = page <= 1 ? null : page.ToString(CultureInfo.InvariantCulture) });

    private void ClearFilters()
    {
        Navigate(new() { ["status"] = null, ["tag"] = null, ["node"] = null, ["q"] = null, ["expr"] = null, ["page"] = null });
    }

    /// <summary>From the name box, which already shows the name.</summary>
    private void SetName(string? name)
    {
        Navigate(new() { ["q"] = Clean(name), ["page"] = null }, fromNameBox: true);
    }

    /// <summary>Filters live in the URL: each change is a history entry, so back/forward walks through the views and a
    /// copied link opens the same view. A null value removes the parameter. The grid updates in place (the rows of the
    /// new query, this component's render only); the address bar follows through history.pushState once the browser has
    /// applied the rows (OnAfterRender), so the router and the layout are not involved (a NavigateTo re-rendered the whole
    /// page: ~1 s per filter under load) and the rows do not wait behind the browser's history update.</summary>
    private void Navigate(Dictionary<string, object?> changes, bool fromNameBox = false)
    {
        var uri = navigation.GetUriWithQueryParameters(_uri, changes);
        var query = ParseQuery(uri);
        _uri = uri;
        if (!SameView(query, _query))
        {
            if (query.Name != _query.Name && !fromNameBox) _nameBoxVersion++;
            _query = query;
            Reload();
        }
        _pendingUrl = uri;
    }

    private async Task PushUrlAsync(string uri)
    {
        try
        {
            await js.InvokeVoidAsync("history.pushState", null, "", uri);
        }
        catch (JSDisconnectedException)
        {
        }
        catch (TaskCanceledException)
        {
        }
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public void Dispose()
    {
        navigation.LocationChanged -= OnLocationChanged;
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }

    private sealed record Option(string Text, string Value);
}
