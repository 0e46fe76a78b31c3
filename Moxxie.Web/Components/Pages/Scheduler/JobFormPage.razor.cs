using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Moxxie.Core.Backups;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Web.Components.Shared;

namespace Moxxie.Web.Components.Pages.Scheduler;

/// <summary>/scheduler/new and /scheduler/{id}/edit (Operators and Admins; the service refuses others anyway): name,
/// description, task type with its parameters, time zone and the cron builder, the selector builder with its preview, enabled.
/// The page holds a <see cref="ScheduledJobDraft"/> and hands it to <see cref="ScheduledJobService"/>, which checks and saves;
/// its per-field refusals (VALIDATION_ERROR details) are shown under the fields they name.</summary>
[Authorize(Policy = MoxxieRoles.CanOperatePolicy)]
public sealed partial class JobFormPage(
    ScheduledJobService jobs,
    BackupService backups,
    NavigationManager navigation,
    CircuitUserContext user,
    TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private ScheduledJobDraft _draft = new();
    private SelectorChoices _choices = new([], [], []);
    private IReadOnlyList<BackupStorage>? _storages;
    private string? _storagesError;
    private IReadOnlyDictionary<string, string> _errors = new Dictionary<string, string>();
    private string? _error;
    private string? _loadError;
    private string? _loadedName;
    private bool _loading = true;
    private bool _busy;

    [Parameter] public string? Id { get; set; }

    private bool IsNew => Id is null;

    protected override async Task OnInitializedAsync()
    {
        _choices = jobs.Choices();
        if (!IsNew)
        {
            try
            {
                var job = await jobs.GetAsync(Id!, _cts.Token);
                _draft = ScheduledJobDraft.From(job);
                _loadedName = job.Name;
            }
            catch (KeyNotFoundException ex)
            {
                _loadError = ex.Message;
            }
        }
        _loading = false;
        if (_draft.TaskType == SchedulerTaskTypes.BackupCreate) await LoadStoragesAsync();
    }

    private async Task SetTaskTypeAsync(string type)
    {
        _draft.TaskType = type;
        if (type == SchedulerTaskTypes.BackupCreate && _storages is null) await LoadStoragesAsync();
    }

    private async Task LoadStoragesAsync()
    {
        try
        {
            _storages = await backups.StoragesAsync(null, _cts.Token);
            _storagesError = null;
            _draft.Storage ??= StorageChoices.FirstOrDefault()?.Storage;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or HttpRequestException or InvalidOperationException)
        {
            _storagesError = ex.Message;
        }
    }

    /// <summary>Storage names offered (one entry per name; a run uses each VM's connection's storage of that name).</summary>
    private IReadOnlyList<BackupStorage> StorageChoices => [.. (_storages ?? []).Where(s => s.Enabled).GroupBy(s => s.Storage, StringComparer.Ordinal).Select(g => g.First())
        .OrderBy(s => s.Shared ? 0 : 1).ThenBy(s => s.Storage, StringComparer.Ordinal)];

    /// <summary>The name pattern for a sample VM now, in the job's zone.</summary>
    private string NameSample => SnapshotNames.Render(_draft.SnapshotNamePattern ?? "", "web-server-01", 101,
        CronSchedule.InZone(time.GetUtcNow(), _draft.TimeZone));

    private async Task SaveAsync()
    {
        if (_busy) return;
        _busy = true;
        try
        {
            var actor = await user.GetActorAsync();
            var saved = IsNew
                ? await jobs.CreateAsync(actor, _draft.ToInput(), _cts.Token)
                : await jobs.UpdateAsync(actor, Id!, _draft.ToInput(), _cts.Token);
            navigation.NavigateTo($"scheduler?job={Uri.EscapeDataString(saved.Id)}");
        }
        catch (ValidationException ex)
        {
            _errors = ex.Errors;
            _error = ex.Message;
        }
        catch (Exception ex) when (ex is ForbiddenException or KeyNotFoundException)
        {
            _errors = new Dictionary<string, string>();
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private void SetZone(ChangeEventArgs e) => _draft.TimeZone = e.Value?.ToString() is { Length: > 0 } zone ? zone : "UTC";

    private static int? Int(object? value) =>
        int.TryParse(value?.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
