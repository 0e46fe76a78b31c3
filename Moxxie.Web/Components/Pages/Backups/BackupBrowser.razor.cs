using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Backups;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Backups;

/// <summary>The backup table with its actions. Filters come as parameters (connection, storage, VMID or a VM text); the
/// decisions (may this be deleted? what does vzdump get?) are BackupService's.</summary>
public sealed partial class BackupBrowser(
    BackupService backups,
    VmService vms,
    InventoryHub hub,
    DialogService dialogs,
    NotificationService notifications,
    NavigationManager navigation,
    CircuitUserContext user,
    IAuthorizationService authorization,
    TimeProvider time) : IDisposable
{
    /// <summary>Task types that change the list when they end.</summary>
    private static readonly HashSet<string> ListTasks = new(StringComparer.Ordinal) { "vzdump", "imgdel", "prunebackups", "qmrestore" };

    private readonly CancellationTokenSource _cts = new();
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);
    private readonly HashSet<string> _mine = new(StringComparer.Ordinal);
    private IDisposable? _subscription;
    private BackupList? _list;
    private IReadOnlyList<TrackedTask> _running = [];
    private string? _error;
    private string? _actionError;
    private string? _actionErrorTitle;
    private bool _loading;
    private bool _canOperate;
    private bool _reloadQueued;
    private (string?, string?, int?) _loadedFor;
    private int? _reportedCount;

    /// <summary>One connection (null: all).</summary>
    [Parameter] public string? Connection { get; set; }

    /// <summary>One storage (null: every backup storage).</summary>
    [Parameter] public string? Storage { get; set; }

    /// <summary>Fixed to one VM (the VM detail tab): no VM column, "Backup now" backs this VM up.</summary>
    [Parameter] public int? VmId { get; set; }

    /// <summary>Text filter on VMID or guest name (the Backups page's VM filter).</summary>
    [Parameter] public string? VmFilter { get; set; }

    /// <summary>The number of backups shown, after each load (the VM page's tab label follows a backup or a delete).</summary>
    [Parameter] public EventCallback<int> CountChanged { get; set; }

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private DateTimeOffset Now => time.GetUtcNow();

    private IReadOnlyList<BackupItem> Visible
    {
        get
        {
            if (_list is null) return [];
            var text = VmFilter?.Trim();
            if (string.IsNullOrEmpty(text)) return _list.Items;
            return [.. _list.Items.Where(b =>
                b.VmId?.ToString(CultureInfo.InvariantCulture) == text
                || (b.VmName?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false))];
        }
    }

    private string CountText => _list is null ? "Loading backups…"
        : Visible.Count == 1 ? "1 backup" : $"{Visible.Count} backups" + (Visible.Count > 0 ? $", {Formats.Bytes(Visible.Sum(b => b.Size))}" : "");

    private string? ListErrors => _list is { Errors.Count: > 0 } l ? string.Join(" · ", l.Errors) : null;

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is null) return;
        var auth = await AuthenticationState;
        _canOperate = (await authorization.AuthorizeAsync(auth.User, MoxxieRoles.CanOperatePolicy)).Succeeded;
    }

    protected override async Task OnParametersSetAsync()
    {
        RefreshRunning();
        if (_loadedFor != (Connection, Storage, VmId) || _list is null && _error is null) await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) _subscription = hub.Subscribe(e => e is TaskUpdated ? InvokeAsync(() => OnTaskAsync((TaskUpdated)e)) : Task.CompletedTask);
    }

    /// <summary>Reloads the list (after an action of the page, e.g. a prune).</summary>
    public Task ReloadAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        if (_loading) return;
        _loading = true;
        _loadedFor = (Connection, Storage, VmId);
        try
        {
            _list = await backups.ListAsync(new BackupQuery(Connection, Storage, VmId), _cts.Token);
            _error = null;
            if (_reportedCount != Visible.Count)
            {
                _reportedCount = Visible.Count;
                await CountChanged.InvokeAsync(Visible.Count);
            }
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or KeyNotFoundException or ValidationException)
        {
            _error = ex.Message;
            _list = null;
        }
        finally
        {
            _loading = false;
        }
    }

    private bool InScope(TrackedTask t) =>
        ListTasks.Contains(t.Type) && (Connection is null || t.Connection == Connection)
        && (VmId is null || t.Id == VmId.Value.ToString(CultureInfo.InvariantCulture) || t.Id?.StartsWith(VmId.Value.ToString(CultureInfo.InvariantCulture) + "@", StringComparison.Ordinal) == true);

    private void RefreshRunning() => _running = [.. hub.TrackedTasks.Where(t => t.Running && t.Type == "vzdump" && InScope(t)).OrderBy(t => t.StartedAt)];

    private async Task OnTaskAsync(TaskUpdated e)
    {
        var task = e.Task;
        if (!InScope(task) && !_mine.Contains(task.Upid)) return;
        RefreshRunning();
        if (!task.Running)
        {
            if (_mine.Remove(task.Upid) && task.Status is { Failed: true } failed)
                ShowError($"{TaskLabel(task)} failed", failed.ExitStatus ?? "failed");
            if (!_reloadQueued)
            {
                _reloadQueued = true;
                try { await LoadAsync(); } finally { _reloadQueued = false; }
            }
        }
        StateHasChanged();
    }

    private static string TaskLabel(TrackedTask t) => t.Type switch
    {
        "vzdump" => $"Backup of VM {t.Id}",
        "imgdel" => "Deletion of the backup",
        "prunebackups" => "Prune",
        _ => t.Type,
    };

    private string RunLabel(TrackedTask t)
    {
        var vmid = int.TryParse(t.Id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        var name = vmid is { } v ? vms.Find(new VmRef(v, t.Connection))?.Name : null;
        return $"Backing up {(name is null ? $"VM {t.Id}" : $"{name} ({t.Id})")}" + (t.Percent is { } p ? $" · {p} %" : "…");
    }

    private void ShowError(string title, string message)
    {
        _actionErrorTitle = title;
        _actionError = message;
        notifications.Notify(NotificationSeverity.Error, title, message, TimeSpan.FromSeconds(12));
    }

    private void Started(string message, string? upid)
    {
        if (!string.IsNullOrEmpty(upid)) _mine.Add(upid);
        _actionError = null;
        notifications.Notify(NotificationSeverity.Info, message, upid is { Length: > 0 } ? $"Task {upid}" : "", TimeSpan.FromSeconds(6));
        RefreshRunning();
    }

    private async Task BackupNowAsync()
    {
        if (_list is null) return;
        var vm = VmId is { } id ? vms.Find(new VmRef(id, Connection)) : null;
        var choices = VmId is null ? vms.List(new VmFilter(Connection: Connection)).OrderBy(v => v.VmId).ToList() : null;
        var result = await BackupNowDialog.AskAsync(dialogs, vm, choices, _list.Storages);
        if (result is null) return;
        Started(result.Message, result.Upid);
    }

    private Task DetailsAsync(BackupItem b) => BackupDetailsDialog.ShowAsync(dialogs, b);

    private Task ProtectAsync(BackupItem b) => ActAsync(b, b.Protected ? "Unprotect failed" : "Protect failed", async actor =>
    {
        var updated = await backups.SetProtectedAsync(actor, b.Ref, !b.Protected, _cts.Token);
        Replace(updated);
        notifications.Notify(NotificationSeverity.Success, updated.Protected ? "Backup protected" : "Backup no longer protected", updated.FileName, TimeSpan.FromSeconds(5));
    });

    private async Task NotesAsync(BackupItem b)
    {
        if (await BackupNotesDialog.AskAsync(dialogs, b) is not { } notes) return;
        await ActAsync(b, "Saving the notes failed", async actor =>
        {
            var updated = await backups.SetNotesAsync(actor, b.Ref, notes, _cts.Token);
            Replace(updated);
            notifications.Notify(NotificationSeverity.Success, "Notes saved", updated.FileName, TimeSpan.FromSeconds(5));
        });
    }

    /// <summary>The restore wizard (/backups/restore) for this archive, read through the node that listed it.</summary>
    private static string RestoreHref(BackupItem b) =>
        $"backups/restore?volid={Uri.EscapeDataString(b.VolId)}&connection={Uri.EscapeDataString(b.Connection)}&node={Uri.EscapeDataString(b.Node)}";

    private async Task DeleteAsync(BackupItem b)
    {
        // A protected backup goes straight to the service, which refuses it with PVE's words (nothing to confirm).
        if (!b.Protected && !await ConfirmDialog.AskAsync(dialogs, "Delete backup?", $"Delete {b.FileName}?",
                $"The archive on {b.Storage} is removed for good{(b.VmId is { } id ? $"; VM {id} itself is not changed" : "")}."))
            return;
        await ActAsync(b, "Delete refused", async actor =>
        {
            var result = await backups.DeleteAsync(actor, b.Ref, _cts.Token);
            Started(result.Message, result.Upid);
        });
    }

    private async Task ActAsync(BackupItem b, string failure, Func<Actor, Task> action)
    {
        if (!_busy.Add(b.Key)) return;
        try
        {
            await action(await user.GetActorAsync());
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is BackupProtectedException or ForbiddenException or ProxmoxException or ValidationException or KeyNotFoundException)
        {
            ShowError(failure, ex.Message);
        }
        finally
        {
            _busy.Remove(b.Key);
        }
    }

    private void Replace(BackupItem updated)
    {
        if (_list is null) return;
        _list = _list with { Items = [.. _list.Items.Select(i => i.Key == updated.Key ? updated : i)] };
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
