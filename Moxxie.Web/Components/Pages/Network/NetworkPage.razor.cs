using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Inventory;
using Moxxie.Core.Network;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Network;

/// <summary>/network?node=: a node's interfaces with pending changes (apply/revert for Admins, confirmed, audited), its topology
/// (read when the tab is opened) and the SDN of its connection. The node list follows the inventory.</summary>
public sealed partial class NetworkPage(
    NetworkService network,
    InventoryHub hub,
    NavigationManager navigation,
    DialogService dialogs,
    NotificationService notifications,
    CircuitUserContext user,
    IAuthorizationService authorization) : IDisposable
{
    private const int TopologyTab = 1, SdnTab = 2;

    private readonly CancellationTokenSource _cts = new();
    private readonly HashSet<string> _applyTasks = new(StringComparer.Ordinal);
    private IDisposable? _subscription;
    private IReadOnlyList<NodeOption> _nodes = [];
    private NodeOption? _selected;
    private string? _loadedKey;
    private NetworkConfig? _config;
    private NetworkTopology? _topology;
    private int _guestsLeftOut;
    private SdnOverview? _sdn;
    private string? _error, _configError, _topologyError;
    private bool _waiting = true;
    private bool _isAdmin;
    private bool _busy;
    private int _tab;

    [SupplyParameterFromQuery(Name = "node")] public string? NodeQuery { get; set; }
    [SupplyParameterFromQuery(Name = "connection")] public string? Connection { get; set; }
    [SupplyParameterFromQuery(Name = "tab")] public string? TabQuery { get; set; }
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>A node in the selector ("connection/node" key; the connection is shown only when there are several).</summary>
    public sealed record NodeOption(string Key, string Text, NetworkNodeRef Ref);

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is null) return;
        var auth = await AuthenticationState;
        _isAdmin = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.AdminPolicy)).Succeeded;
    }

    protected override async Task OnParametersSetAsync()
    {
        _tab = TabQuery switch { "topology" => TopologyTab, "sdn" => SdnTab, _ => 0 };
        RefreshNodes();
        await LoadSelectedAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _subscription = hub.Subscribe(e => InvokeAsync(() => OnInventoryEventAsync(e)));
    }

    private async Task OnInventoryEventAsync(InventoryEvent e)
    {
        switch (e)
        {
            case SnapshotUpdated:
                var before = _selected;
                RefreshNodes();
                if (before is null || before.Ref != _selected?.Ref) await LoadSelectedAsync();
                break;
            case TaskUpdated { Task: { Running: false } task } when _applyTasks.Remove(task.Upid):
                if (task.Status is { Failed: true } failed)
                    notifications.Notify(NotificationSeverity.Error, "Applying the network failed", failed.ExitStatus ?? "failed", TimeSpan.FromSeconds(12));
                _loadedKey = null;
                await LoadSelectedAsync();
                break;
            default:
                return;
        }
        StateHasChanged();
    }

    private void RefreshNodes()
    {
        try
        {
            var refs = network.Nodes();
            var several = refs.Select(r => r.Connection).Distinct(StringComparer.Ordinal).Count() > 1;
            _nodes = [.. refs.Select(r => new NodeOption($"{r.Connection}/{r.Node}", several ? $"{r.Node} ({r.Connection})" : r.Node, r))];
            _waiting = _nodes.Count == 0 && hub.Snapshots.Any(s => !s.Loaded && s.Error is null);
            _selected = _nodes.FirstOrDefault(n => n.Ref.Node == NodeQuery
                            && (string.IsNullOrWhiteSpace(Connection) || string.Equals(n.Ref.Connection, Connection, StringComparison.OrdinalIgnoreCase)))
                        ?? _nodes.FirstOrDefault(n => n.Ref.Online) ?? _nodes.FirstOrDefault();
            _error = NodeQuery is not null && _nodes.Count > 0 && _selected?.Ref.Node != NodeQuery ? $"Node {NodeQuery} not found." : null;
        }
        catch (Exception ex)
        {
            _error = ex.Message;
        }
    }

    private async Task LoadSelectedAsync()
    {
        if (_selected is not { } node) return;
        var key = node.Key + (node.Ref.Online ? "" : "!");
        if (_loadedKey == key)
        {
            await LoadTabAsync();
            return;
        }
        _loadedKey = key;
        _config = null; _topology = null; _configError = null; _topologyError = null;
        if (_sdn?.Connection != node.Ref.Connection) _sdn = null;
        if (!node.Ref.Online) return;
        try
        {
            _config = await network.GetAsync(node.Ref, _cts.Token);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            _configError = ex.Message;
        }
        await LoadTabAsync();
    }

    private async Task OnTabChangedAsync(int index)
    {
        _tab = index;
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("tab", index switch { TopologyTab => "topology", SdnTab => "sdn", _ => (string?)null }),
            replace: true);
        await LoadTabAsync();
    }

    /// <summary>Topology (one config read per guest) and SDN are read only when their tab is open, once per node.</summary>
    private async Task LoadTabAsync()
    {
        if (_selected is not { } node) return;
        try
        {
            if (_sdn is null && _tab is TopologyTab or SdnTab)
                _sdn = await network.SdnAsync(node.Ref.Connection, _cts.Token);
            if (_tab == TopologyTab && _topology is null && _topologyError is null && _config is not null)
            {
                var vnets = _sdn?.Vnets.Select(v => v.Vnet).ToHashSet(StringComparer.Ordinal);
                (_topology, _guestsLeftOut) = await network.TopologyAsync(node.Ref, _config.Interfaces, vnets, _cts.Token);
            }
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _topologyError = ex.Message;
        }
    }

    private void SelectNode(string key)
    {
        if (_nodes.FirstOrDefault(n => n.Key == key) is not { } option) return;
        navigation.NavigateTo(navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["node"] = option.Ref.Node,
            ["connection"] = _nodes.Count(n => n.Ref.Node == option.Ref.Node) > 1 ? option.Ref.Connection : null,
        }), replace: true);
    }

    private Task ApplyAsync() => ChangeAsync(apply: true);

    private Task RevertAsync() => ChangeAsync(apply: false);

    private async Task ChangeAsync(bool apply)
    {
        if (_selected is not { } node || _busy) return;
        _busy = true;
        try
        {
            var confirmed = await ConfirmDialog.AskAsync(dialogs,
                apply ? $"Apply network changes on {node.Ref.Node}?" : $"Revert network changes on {node.Ref.Node}?",
                apply ? $"Reload the network of {node.Ref.Node} with the pending configuration?" : $"Discard the pending network configuration of {node.Ref.Node}?",
                apply ? "A wrong configuration can cut the node off the network (and Moxxie from it)." : "The pending changes are lost; the running configuration stays.");
            if (!confirmed) return;
            var actor = await user.GetActorAsync();
            var result = apply ? await network.ApplyAsync(actor, node.Ref, _cts.Token) : await network.RevertAsync(actor, node.Ref, _cts.Token);
            notifications.Notify(result.Success ? NotificationSeverity.Info : NotificationSeverity.Error,
                result.Success ? result.Message : $"Could not {(apply ? "apply" : "revert")} the changes", result.Success ? result.Upid ?? "" : result.Message,
                TimeSpan.FromSeconds(result.Success ? 6 : 12));
            if (result is { Success: true, Upid: { } upid }) _applyTasks.Add(upid);
            _loadedKey = null;
            await LoadSelectedAsync();
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
            _busy = false;
        }
    }

    private static string DiffClass(string line) =>
        line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "mx-muted"
        : line.StartsWith('+') ? "mx-diff-add"
        : line.StartsWith('-') ? "mx-diff-del"
        : "";

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
