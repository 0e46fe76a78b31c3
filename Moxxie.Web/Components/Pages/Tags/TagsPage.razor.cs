using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Inventory;
using Moxxie.Core.Security;
using Moxxie.Core.Tags;
using Radzen;

namespace Moxxie.Web.Components.Pages.Tags;

/// <summary>/tags: every tag (in use, or catalogued with no VM yet) as a cloud or a list, grouped by category and searchable,
/// in its catalogue colour with its VM count; Operators create tags, edit catalogue entries, rename and delete tags across
/// the VMs and add/remove tags in bulk (TagCatalogService, TagOperationsService check the role again and audit). Counts
/// follow the inventory live (re-read when the tags in use change).</summary>
public sealed partial class TagsPage(
    TagCatalogService catalog,
    TagService tagService,
    TagOperationsService operations,
    InventoryHub hub,
    DialogService dialogs,
    NotificationService notifications,
    NavigationManager navigation,
    IAuthorizationService authorization) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private IReadOnlyList<TagCatalogView>? _tags;
    private string? _error;
    private string? _search;
    private string _view = "cloud";
    private bool _grouped = true;
    private bool _canOperate;
    private string _usedSignature = "";
    private IDisposable? _subscription;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>?view=list|cloud and ?q= keep the view shareable (and back/forward walk through it).</summary>
    [SupplyParameterFromQuery(Name = "view")] public string? ViewQuery { get; set; }

    [SupplyParameterFromQuery(Name = "q")] public string? SearchQuery { get; set; }

    private string CountText => _tags is null ? "" : $"{_tags.Count} {(_tags.Count == 1 ? "tag" : "tags")}";

    private IEnumerable<TagCatalogView> Shown
    {
        get
        {
            var q = _search?.Trim();
            return (_tags ?? []).Where(t => string.IsNullOrEmpty(q)
                || t.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                || t.Category.Contains(q, StringComparison.OrdinalIgnoreCase)
                || (t.Description?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false));
        }
    }

    /// <summary>By category (alphabetical, "other" last) or one group with a null key.</summary>
    private IEnumerable<IGrouping<string?, TagCatalogView>> Groups => _grouped
        ? Shown.GroupBy(t => (string?)t.Category).OrderBy(g => g.Key == "other" ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
        : Shown.GroupBy(_ => (string?)null);

    private int MaxCount => (_tags ?? []).Select(t => t.Count).DefaultIfEmpty(1).Max();

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var auth = await AuthenticationState;
            _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        }
        await LoadAsync();
        _subscription = hub.Subscribe(OnInventoryAsync);
    }

    protected override void OnParametersSet()
    {
        _view = ViewQuery == "list" ? "list" : "cloud";
        _search = SearchQuery;
    }

    private void SetQuery(string view, string? search) =>
        navigation.NavigateTo(navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["view"] = view == "list" ? "list" : null,
            ["q"] = string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        }));

    private async Task LoadAsync()
    {
        try
        {
            _usedSignature = UsedSignature();
            _tags = await catalog.ListAsync(_cts.Token);
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

    /// <summary>A poll re-reads the catalogue only when the tags in use or their counts changed.</summary>
    private async Task OnInventoryAsync(InventoryEvent e)
    {
        if (e is not SnapshotUpdated || UsedSignature() == _usedSignature) return;
        await InvokeAsync(async () =>
        {
            await LoadAsync();
            StateHasChanged();
        });
    }

    private string UsedSignature() => string.Join(';', tagService.Summary().Select(t => t.Name + "=" + t.Count.ToString(CultureInfo.InvariantCulture)));

    private static string DetailsHref(string tag) => "tags/" + Uri.EscapeDataString(tag);

    private static string Tooltip(TagCatalogView t) =>
        $"{t.Name}: {t.Count} {(t.Count == 1 ? "VM" : "VMs")}, {t.Category}{(t.Description is null ? "" : " — " + t.Description)}";

    /// <summary>Cloud: the font grows with the VM count (0.8–1.6 rem, square-root scale).</summary>
    private string CloudSize(int count)
    {
        var scale = MaxCount <= 0 ? 0 : Math.Sqrt(count / (double)MaxCount);
        return string.Create(CultureInfo.InvariantCulture, $"font-size: {0.8 + 0.8 * scale:0.00}rem");
    }

    private IReadOnlyList<string> KnownCategories => [.. (_tags ?? []).Select(t => t.Category).Distinct(StringComparer.Ordinal)];

    private async Task CreateAsync()
    {
        if (await TagDialogs.EditAsync(dialogs, null, KnownCategories) is { } created)
        {
            notifications.Notify(NotificationSeverity.Success, $"Tag {created.Name} created");
            await LoadAsync();
        }
    }

    private async Task EditAsync(TagCatalogView tag)
    {
        if (await TagDialogs.EditAsync(dialogs, tag, KnownCategories) is { } saved)
        {
            notifications.Notify(NotificationSeverity.Success, $"Tag {saved.Name} saved");
            await LoadAsync();
        }
    }

    private async Task RenameAsync(string name)
    {
        if (await TagDialogs.RenameAsync(dialogs, name, operations.CountCarrying(name)) is not null) await LoadAsync();
    }

    private async Task DeleteAsync(string name)
    {
        if (await TagDialogs.DeleteAsync(dialogs, name, operations.CountCarrying(name)) is not null) await LoadAsync();
    }

    private async Task OpenBulkAsync(string? expression)
    {
        if (await TagDialogs.BulkAsync(dialogs, expression, [.. (_tags ?? []).Select(t => t.Name)]) is not null) await LoadAsync();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
