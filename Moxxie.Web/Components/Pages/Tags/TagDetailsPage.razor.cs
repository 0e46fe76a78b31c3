using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Inventory;
using Moxxie.Core.Security;
using Moxxie.Core.Tags;
using Radzen;

namespace Moxxie.Web.Components.Pages.Tags;

/// <summary>/tags/{name}: the VMs carrying a tag (links, status), how they spread over statuses and nodes, the tags found
/// with it, and quick actions: the VM list filtered by it, bulk add/remove on its VMs, edit, rename, delete (Operators).
/// Follows the inventory live.</summary>
public sealed partial class TagDetailsPage(
    TagCatalogService catalog,
    TagService tagService,
    TagOperationsService operations,
    InventoryHub hub,
    DialogService dialogs,
    NavigationManager navigation,
    IAuthorizationService authorization) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private TagDetails? _details;
    private string? _error;
    private bool _missing;
    private bool _canOperate;
    private IDisposable? _subscription;
    private string _vmSignature = "";

    [Parameter] public string Name { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private string VmListHref => "vms?expr=" + Uri.EscapeDataString(Name);

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var auth = await AuthenticationState;
            _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        }
        _subscription = hub.Subscribe(OnInventoryAsync);
    }

    protected override async Task OnParametersSetAsync()
    {
        _details = null;
        _missing = false;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _vmSignature = VmSignature();
            _details = await catalog.DetailsAsync(Name, _cts.Token);
            _missing = _details is null;
            _error = null;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ex.Message;
        }
    }

    private async Task OnInventoryAsync(InventoryEvent e)
    {
        if (e is not SnapshotUpdated || VmSignature() == _vmSignature) return;
        await InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
    }

    /// <summary>What the page shows of the tag's VMs (and their tags): a poll re-reads only when it changed.</summary>
    private string VmSignature() => string.Join('|', tagService.Carrying(Name).Select(v =>
        string.Create(CultureInfo.InvariantCulture, $"{v.Connection}/{v.VmId}/{v.Name}/{v.Status}/{v.Node}/{string.Join(',', v.Guest.Tags)}")));

    private static string Percent(int part, int whole) =>
        string.Create(CultureInfo.InvariantCulture, $"{(whole <= 0 ? 0 : 100.0 * part / whole):0.#}%");

    private async Task BulkAsync()
    {
        if (await TagDialogs.BulkAsync(dialogs, Name, []) is not null) await LoadAsync();
    }

    private async Task EditAsync()
    {
        if (_details is { } d && await TagDialogs.EditAsync(dialogs, d.Tag, []) is not null) await LoadAsync();
    }

    private async Task RenameAsync()
    {
        if (await TagDialogs.RenameAsync(dialogs, Name, operations.CountCarrying(Name)) is { } result && result.Failed == 0
            && result.Results.FirstOrDefault(r => r.Changed) is { } changed)
        {
            var renamed = changed.CurrentTags.Except(changed.PreviousTags, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
            if (renamed is not null) navigation.NavigateTo("tags/" + Uri.EscapeDataString(renamed));
        }
        else
        {
            await LoadAsync();
        }
    }

    private async Task DeleteAsync()
    {
        if (await TagDialogs.DeleteAsync(dialogs, Name, operations.CountCarrying(Name)) is { Failed: 0 }) navigation.NavigateTo("tags");
        else await LoadAsync();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
