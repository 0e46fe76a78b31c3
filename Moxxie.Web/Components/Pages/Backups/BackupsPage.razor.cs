using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Backups;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;

namespace Moxxie.Web.Components.Pages.Backups;

/// <summary>/backups[?storage=&amp;vm=&amp;connection=]: every backup with the storage and VM filters in the URL, "Backup now"
/// and the row actions (BackupBrowser), and the retention policy of each backup storage with prune preview and run.</summary>
public sealed partial class BackupsPage(BackupService backups, NavigationManager navigation, IAuthorizationService authorization) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private BackupBrowser? _browser;
    private IReadOnlyList<BackupStorage>? _storages;
    private string? _storagesError;
    private bool _isAdmin;
    private bool _canOperate;

    [SupplyParameterFromQuery(Name = "storage")] public string? StorageQuery { get; set; }
    [SupplyParameterFromQuery(Name = "vm")] public string? VmQuery { get; set; }
    [SupplyParameterFromQuery(Name = "connection")] public string? Connection { get; set; }
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private IEnumerable<string> StorageNames => (_storages ?? []).Select(s => s.Storage).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            var auth = await AuthenticationState;
            _isAdmin = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.AdminPolicy)).Succeeded;
            _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        }
        await LoadStoragesAsync();
    }

    private async Task LoadStoragesAsync()
    {
        try
        {
            _storages = await backups.StoragesAsync(string.IsNullOrWhiteSpace(Connection) ? null : Connection.Trim(), _cts.Token);
            _storagesError = null;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or KeyNotFoundException)
        {
            _storagesError = ex.Message;
        }
    }

    /// <summary>The filters are the URL (shareable; back/forward walk through them).</summary>
    private void Navigate(string? storage, string? vm)
    {
        var uri = navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["storage"] = string.IsNullOrWhiteSpace(storage) ? null : storage,
            ["vm"] = string.IsNullOrWhiteSpace(vm) ? null : vm.Trim(),
        });
        navigation.NavigateTo(uri);
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
