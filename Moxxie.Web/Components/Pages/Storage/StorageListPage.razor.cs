using Microsoft.AspNetCore.Components;
using Moxxie.Core.Inventory;
using Moxxie.Core.Storage;

namespace Moxxie.Web.Components.Pages.Storage;

/// <summary>/storage: card grid from StorageService (cached configuration + live usage from the inventory, refreshed on every
/// inventory update). The enabled filter lives in the URL (?enabled=true|false).</summary>
public sealed partial class StorageListPage(StorageService storage, InventoryHub hub, NavigationManager navigation) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private IDisposable? _subscription;
    private StorageList? _list;
    private string? _error;
    private string _filter = "all";
    private bool _multiConnection;
    private bool _loading;

    [SupplyParameterFromQuery(Name = "enabled")] public bool? Enabled { get; set; }

    private IReadOnlyList<StorageOverview> Visible =>
        [.. (_list?.Items ?? []).Where(s => Enabled is null || s.Enabled == Enabled)];

    private string CountText => _list is null || _list.Loading ? "" : $"{Visible.Count} storages";

    protected override async Task OnParametersSetAsync()
    {
        _filter = Enabled switch { true => "enabled", false => "disabled", _ => "all" };
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
            _subscription = hub.Subscribe(e => e is SnapshotUpdated ? InvokeAsync(async () => { await LoadAsync(); StateHasChanged(); }) : Task.CompletedTask);
    }

    private async Task LoadAsync()
    {
        if (_loading) return;
        _loading = true;
        try
        {
            _list = await storage.ListAsync(null, null, _cts.Token);
            _multiConnection = _list.Items.Select(i => i.Connection).Distinct().Count() > 1;
            _error = null;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _error = ex.Message;
            _list ??= new StorageList([], [], false);
        }
        finally
        {
            _loading = false;
        }
    }

    private void SetFilter(string value) =>
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("enabled", value switch { "enabled" => true, "disabled" => false, _ => (bool?)null }), replace: true);

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
