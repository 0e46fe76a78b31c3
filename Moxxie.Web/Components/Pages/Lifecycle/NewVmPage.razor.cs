using System.Globalization;
using Microsoft.AspNetCore.Components;
using Moxxie.Core.Deployments;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Shared;

namespace Moxxie.Web.Components.Pages.Lifecycle;

/// <summary>/vms/new: a VM from a template (template picker), or ?source={vmid}[&amp;snapshot=][&amp;connection=] a clone of
/// a VM or of one of its snapshots. Full or linked clone, node (automatic or chosen), storage, name, cores, memory and
/// cloud-init; VmProvisioningService decides and queues, then the page goes to the deployment's live view.</summary>
public sealed partial class NewVmPage(VmService vms, InventoryHub hub, VmProvisioningService provisioning, CircuitUserContext user, NavigationManager navigation)
{
    private List<VmView> _templates = [];
    private VmView? _cloneOf;
    private string? _sourceMissing;
    private string? _templateKey;
    private IReadOnlyList<string> _nodes = [];
    private IReadOnlyList<string> _storages = [];
    private int _connections;
    private bool _ready, _busy;
    private string? _error;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();

    private string? _name, _node, _storage, _ciUser, _sshKeys, _ipConfig;
    private int? _cores, _memory;
    private bool _full = true, _start = true;

    [SupplyParameterFromQuery(Name = "source")] public int? Source { get; set; }
    [SupplyParameterFromQuery(Name = "snapshot")] public string? Snapshot { get; set; }
    [SupplyParameterFromQuery(Name = "connection")] public string? Connection { get; set; }

    private string Title => Source is null ? "New VM from a template" : Snapshot is null ? "Clone VM" : "Clone from snapshot";

    private VmView? Selected => _cloneOf ?? _templates.FirstOrDefault(t => Key(t) == _templateKey);
    private bool SourceIsTemplate => Selected?.Guest.Template ?? false;

    private static string Key(VmView v) => v.Connection + "/" + v.VmId.ToString(CultureInfo.InvariantCulture);

    private string Invalid(string field) => _errors.ContainsKey(field) ? "mx-field--invalid" : "";

    protected override void OnParametersSet()
    {
        _connections = hub.Snapshots.Count;
        try
        {
            if (Source is { } source)
            {
                _cloneOf = vms.Find(new VmRef(source, string.IsNullOrWhiteSpace(Connection) ? null : Connection.Trim()));
                _sourceMissing = _cloneOf is null ? $"VM {source} was not found." : null;
                _full = true;
                _name ??= _cloneOf is null ? null : Snapshot is null ? $"{_cloneOf.Name}-clone" : $"{_cloneOf.Name}-{Snapshot}";
            }
            else
            {
                _templates = [.. vms.List(new VmFilter(Connection: string.IsNullOrWhiteSpace(Connection) ? null : Connection) { IncludeTemplates = true })
                    .Where(v => v.Guest.Template && v.Guest.Type == GuestType.Qemu)];
                _templateKey ??= _templates.FirstOrDefault() is { } first ? Key(first) : null;
            }
        }
        catch (ValidationException ex)
        {
            _sourceMissing = ex.Message;
        }
        LoadPlacement();
        _ready = hub.Snapshots.Any(s => s.Loaded) || _sourceMissing is not null;
        if (!_ready && Source is not null) _sourceMissing = null;
    }

    private void OnTemplateChanged(ChangeEventArgs e)
    {
        _templateKey = e.Value?.ToString();
        _node = null;
        _storage = null;
        LoadPlacement();
    }

    /// <summary>Online nodes and image storages of the source's connection.</summary>
    private void LoadPlacement()
    {
        if (Selected is not { } source || hub.Get(source.Connection) is not { } snapshot) return;
        _nodes = [.. snapshot.Resources.Nodes.Where(n => n.Status == "online").Select(n => n.Node).Order(StringComparer.Ordinal)];
        _storages = [.. snapshot.Resources.Storage.Where(s => s.Content.Contains("images")).Select(s => s.Storage).Distinct().Order(StringComparer.Ordinal)];
    }

    private async Task SubmitAsync()
    {
        if (_busy || Selected is not { } source) return;
        _busy = true;
        _error = null;
        _errors = new Dictionary<string, string>();
        try
        {
            var view = await provisioning.RequestAsync(await user.GetActorAsync(), new DeploymentRequest(source.VmId, _name)
            {
                Connection = source.Connection,
                RequireTemplate = _cloneOf is null,
                Snapshot = _cloneOf is null ? null : Snapshot,
                Full = _full,
                Node = string.IsNullOrWhiteSpace(_node) ? null : _node,
                Storage = _full && !string.IsNullOrWhiteSpace(_storage) ? _storage : null,
                Cores = _cores,
                MemoryMb = _memory,
                CiUser = _ciUser,
                SshKeys = _sshKeys,
                IpConfig0 = _ipConfig,
                Start = _start,
            }, CancellationToken.None);
            navigation.NavigateTo($"deployments/{view.Id}");
        }
        catch (ValidationException ex)
        {
            _errors = ex.Errors;
            _error = "Check the highlighted fields.";
        }
        catch (Exception ex) when (ex is Moxxie.Core.Security.ForbiddenException or KeyNotFoundException or ProxmoxException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
