using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Security;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Scheduler;

/// <summary>/scheduler: the jobs (enabled, name, task type, schedule in words, last run, next run) with run now, enable/disable,
/// delete (confirmed) for Operators, and per job its statistics and run history with per-VM results. ScheduledJobService
/// decides and audits; the page refreshes when a run changes (SchedulerEngine.RunChanged, marshalled with InvokeAsync).</summary>
public sealed partial class SchedulerPage(
    ScheduledJobService jobs,
    SchedulerEngine engine,
    CircuitUserContext user,
    DialogService dialogs,
    NavigationManager navigation,
    IAuthorizationService authorization) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private IReadOnlyList<ScheduledJobView>? _jobs;
    private IReadOnlyList<ScheduledRunView>? _history;
    private string? _open;
    private long? _openRun;
    private string? _error;
    private bool _busy;
    private bool _canOperate;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>A job whose history opens with the page (the form comes back here with the job it saved).</summary>
    [SupplyParameterFromQuery(Name = "job")] public string? Job { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _open = Job;
        if (AuthenticationState is not null)
            _canOperate = (await authorization.AuthorizeAsync((await AuthenticationState).User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        await LoadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) engine.RunChanged += OnRunChanged;
    }

    private void OnRunChanged(string jobId) => _ = InvokeAsync(async () =>
    {
        if (_cts.IsCancellationRequested) return;
        await LoadAsync();
        StateHasChanged();
    });

    private async Task LoadAsync()
    {
        try
        {
            _jobs = await jobs.ListAsync(_cts.Token);
            if (_open is { } id) _history = await jobs.HistoryAsync(id, 20, _cts.Token);
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

    private async Task ToggleHistoryAsync(ScheduledJobView job)
    {
        if (_open == job.Id) { _open = null; _history = null; return; }
        _open = job.Id;
        _openRun = null;
        _history = null;
        await LoadAsync();
    }

    private Task RunAsync(ScheduledJobView job) => ActAsync(async actor =>
    {
        var run = await jobs.RunNowAsync(actor, job.Id, _cts.Token);
        _open = job.Id;
        _openRun = run.Id;
    });

    private Task ToggleAsync(ScheduledJobView job) => ActAsync(actor => jobs.SetEnabledAsync(actor, job.Id, !job.Enabled, _cts.Token));

    private async Task DeleteAsync(ScheduledJobView job)
    {
        if (!await ConfirmDialog.AskAsync(dialogs, $"Delete {job.Name}?", $"The job '{job.Name}' and its history are removed; runs already submitted go on.")) return;
        await ActAsync(actor => jobs.DeleteAsync(actor, job.Id, _cts.Token));
    }

    private async Task ActAsync(Func<Actor, Task> action)
    {
        if (_busy) return;
        _busy = true;
        try
        {
            await action(await user.GetActorAsync());
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
        await LoadAsync();
    }

    public void Dispose()
    {
        engine.RunChanged -= OnRunChanged;
        _cts.Cancel();
        _cts.Dispose();
    }
}
