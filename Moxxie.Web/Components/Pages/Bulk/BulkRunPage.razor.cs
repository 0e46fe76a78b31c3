using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>/bulk/{id}: one bulk operation. While it runs: the overall progress bar, the per-VM status table and the live
/// log, fed by <see cref="BulkProgressFeed"/> (subscribed after the first interactive render, marshalled with InvokeAsync,
/// renders coalesced to a few per second, disposed with the page) and re-read from the service now and then (a run by
/// another Moxxie instance is not on this process's feed); Abort (confirmed; optionally stopping the PVE tasks still
/// running). Once finished: the results summary (counts, duration, detail table, CSV/JSON export, Retry failed).
/// Viewers see everything and no action buttons (the service refuses them anyway).</summary>
[Authorize]
public sealed partial class BulkRunPage(
    IBulkOperationService bulk,
    BulkProgressFeed feed,
    NavigationManager navigation,
    DialogService dialogs,
    NotificationService notifications,
    CircuitUserContext user,
    IAuthorizationService authorization) : IDisposable
{
    private const int MaxLogLines = 300;
    private static readonly TimeSpan RenderEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RereadEvery = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _cts = new();
    private readonly List<LogLine> _log = [];
    private readonly Dictionary<long, BulkTaskView> _tasks = [];
    private IDisposable? _subscription;
    private BulkOperationView? _op;
    private BulkCounts _counts = BulkCounts.Empty;
    private string _status = "";
    private bool _loading = true;
    private string? _loadError;
    private string? _error;
    private bool _canOperate;
    private bool _busy;
    private string _filter = "";
    private bool _renderPending;
    private bool _rereadPending;
    private DateTimeOffset _lastRender;

    [Parameter] public string Id { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (AuthenticationState is not null)
            _canOperate = (await authorization.AuthorizeAsync((await AuthenticationState).User, MoxxieRoles.CanOperatePolicy)).Succeeded;
        if (_op?.Id == Id) return;
        Unsubscribe();
        _op = null;
        _log.Clear();
        _loading = true;
        if (RendererInfo.IsInteractive) Subscribe();   // before reading, so no event falls between the read and the subscription
        await ReloadAsync();
        _loading = false;
        if (_op is not null && BulkStatus.IsFinal(_op.Status)) Unsubscribe();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            Subscribe();
            _ = RereadLoopAsync();
        }
    }

    private void Subscribe()
    {
        if (_subscription is not null || string.IsNullOrEmpty(Id) || (_op is not null && BulkStatus.IsFinal(_op.Status))) return;
        _subscription = feed.Subscribe(Id, e => InvokeAsync(() => Apply(e)));
    }

    private void Unsubscribe()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    /// <summary>The truth from the service: the operation with every task (messages and errors included).</summary>
    private async Task ReloadAsync()
    {
        try
        {
            var op = await bulk.GetAsync(Id, _cts.Token);
            _loadError = op is null ? $"There is no bulk operation {Id}." : null;
            if (op is null) return;
            _op = op;
            _counts = op.Counts;
            _status = op.Status;
            _tasks.Clear();
            foreach (var t in op.Tasks) _tasks[t.Id] = t;
            if (_log.Count == 0) _log.AddRange(InitialLog(op));
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidOperationException or ProxmoxException or HttpRequestException)
        {
            _loadError = ex.Message;
        }
    }

    /// <summary>What the log shows when the page opens: the start and every task that already moved.</summary>
    private static IEnumerable<LogLine> InitialLog(BulkOperationView op)
    {
        if (op.StartedAt is { } started) yield return new LogLine(started, $"{BulkFormat.Operation(op.Kind, op.Action)} of {op.Counts.Total} VMs started by {op.RequestedBy}", "");
        foreach (var t in op.Tasks.Where(t => t.FinishedAt is not null).OrderBy(t => t.FinishedAt).TakeLast(MaxLogLines / 2))
            yield return new LogLine(t.FinishedAt!.Value, $"{t.VmName} ({t.VmId}): {t.Status}{(t.Error ?? t.Message) switch { null => "", var m => " — " + m }}", t.Status);
    }

    /// <summary>One progress event, on the renderer's thread: the task's row and a log line (a task event's counts are
    /// recounted from the rows), or the operation's counts and status; a render soon. The status only moves forward
    /// (queued → running → final), so an event handled after a fresher read does not turn the view back.</summary>
    private void Apply(BulkProgressEvent e)
    {
        if (_op is null || e.OperationId != _op.Id) return;
        var wasFinal = Final;
        if (e.TaskId is { } taskId)
        {
            if (_tasks.TryGetValue(taskId, out var task) && e.TaskStatus is { } taskStatus && !BulkTaskStatus.IsFinal(task.Status))
            {
                _tasks[taskId] = task with { Status = taskStatus, Upid = e.Upid ?? task.Upid };
                if (BulkTaskStatus.IsFinal(taskStatus)) _rereadPending = true;   // its message and error come with the re-read
                _counts = BulkCounts.Of(_tasks.Values.Select(t => t.Status));
            }
            Advance(BulkStatus.Running);
        }
        else
        {
            if (e.Counts.Total > 0 && e.Counts.Final >= _counts.Final) _counts = e.Counts;
            Advance(e.OperationStatus);
        }
        if (e.LogLine is { } line)
        {
            _log.Add(new LogLine(e.Time, line, e.TaskStatus ?? ""));
            if (_log.Count > MaxLogLines) _log.RemoveRange(0, _log.Count - MaxLogLines);
        }
        if (!wasFinal && Final)
        {
            _ = RereadNowAsync();
            return;
        }
        RenderSoon();
    }

    private void Advance(string status)
    {
        if (Rank(status) > Rank(_status)) _status = status;
    }

    private static int Rank(string status) => status switch
    {
        BulkStatus.Planned => 0,
        BulkStatus.Queued => 1,
        BulkStatus.Running => 2,
        BulkStatus.Completed or BulkStatus.Aborted => 3,
        _ => -1,
    };

    /// <summary>At most one render per <see cref="RenderEvery"/> however fast the events come.</summary>
    private void RenderSoon()
    {
        if (_renderPending) return;
        var wait = _lastRender + RenderEvery - DateTimeOffset.UtcNow;
        if (wait <= TimeSpan.Zero)
        {
            Render();
            return;
        }
        _renderPending = true;
        _ = DelayedRenderAsync(wait);
    }

    private async Task DelayedRenderAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, _cts.Token);
            await InvokeAsync(() =>
            {
                _renderPending = false;
                Render();
            });
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Render()
    {
        _lastRender = DateTimeOffset.UtcNow;
        StateHasChanged();
    }

    /// <summary>Every few seconds while the operation is not final (and sooner after tasks finished): the service's view.</summary>
    private async Task RereadLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var last = DateTimeOffset.UtcNow;
        try
        {
            while (await timer.WaitForNextTickAsync(_cts.Token))
            {
                if (_op is null || BulkStatus.IsFinal(_status)) continue;
                if (!_rereadPending && DateTimeOffset.UtcNow - last < RereadEvery) continue;
                last = DateTimeOffset.UtcNow;
                await InvokeAsync(RereadNowAsync);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RereadNowAsync()
    {
        _rereadPending = false;
        await ReloadAsync();
        if (_op is not null && BulkStatus.IsFinal(_op.Status)) Unsubscribe();
        Render();
    }

    private async Task AbortAsync()
    {
        if (_op is null || _busy) return;
        var choice = await BulkAbortDialog.AskAsync(dialogs, _counts);
        if (choice is not { } stopRunning) return;
        _busy = true;
        _error = null;
        try
        {
            _op = await bulk.AbortAsync(await user.GetActorAsync(), _op.Id, stopRunning, _cts.Token);
            _counts = _op.Counts;
            _status = _op.Status;
            foreach (var t in _op.Tasks) _tasks[t.Id] = t;
            notifications.Notify(NotificationSeverity.Info, "Bulk operation aborted",
                $"{_counts.Cancelled} queued task{(_counts.Cancelled == 1 ? "" : "s")} cancelled{(stopRunning ? "; running PVE tasks asked to stop" : "")}.", TimeSpan.FromSeconds(8));
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ForbiddenException or ValidationException or KeyNotFoundException or InvalidOperationException or ProxmoxException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RetryFailedAsync()
    {
        if (_op is null || _busy) return;
        _busy = true;
        _error = null;
        try
        {
            var result = await bulk.RetryFailedAsync(await user.GetActorAsync(), _op.Id, _cts.Token);
            navigation.NavigateTo($"bulk/{Uri.EscapeDataString(result.OperationId)}");
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ForbiddenException or ValidationException or KeyNotFoundException or InvalidOperationException or ProxmoxException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private bool Final => BulkStatus.IsFinal(_status);

    private double Percent => _counts.Total == 0 ? 0 : Math.Round(100.0 * _counts.Final / _counts.Total, 1);

    private IEnumerable<BulkTaskView> ShownTasks => _tasks.Values.Where(t => _filter.Length == 0 || t.Status == _filter).OrderBy(t => t.Seq);

    private string ExportBase => $"api/v1/bulk/operations/{Uri.EscapeDataString(Id)}";

    private double? DurationSeconds => _op switch
    {
        { StartedAt: { } s, FinishedAt: { } f } => (f - s).TotalSeconds,
        { StartedAt: { } s } when !Final => (DateTimeOffset.UtcNow - s).TotalSeconds,
        _ => _op?.DurationSeconds,
    };

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }

    private sealed record LogLine(DateTimeOffset Time, string Text, string Status);
}
