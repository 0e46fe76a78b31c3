using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Moxxie.Core.Backups;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Shared;
using Radzen;

namespace Moxxie.Web.Components.Pages.Bulk;

/// <summary>/bulk/new?op=…&amp;vms=…|all=1&amp;expr=&amp;node=&amp;q=&amp;status=: the bulk wizard. Steps: operation → targets (ticked VMs,
/// tag expression, name pattern, node or all, with the count and a preview list) → options (execution limits, the
/// operation's parameters, dry run) → the plan (the engine's dry run: per VM what it would do, the proposed name, whether
/// it would succeed or why not) → "Execute this plan" (destructive operations confirmed, delete by a typed count), then
/// the execution view /bulk/{id}. Without dry run the request is submitted at once (confirmed the same way).</summary>
[Authorize(Policy = MoxxieRoles.CanOperatePolicy)]
public sealed partial class BulkWizardPage(
    IBulkOperationService bulk,
    VmListService vmList,
    BackupService backups,
    NavigationManager navigation,
    DialogService dialogs,
    CircuitUserContext user) : IDisposable
{
    public static readonly string[] StepNames = ["Operation", "Targets", "Options", "Plan"];
    private const int OperationStep = 0, TargetStep = 1, OptionsStep = 2, PlanStep = 3;
    private const int PreviewRows = 100;

    private readonly CancellationTokenSource _cts = new();
    private readonly BulkWizardForm _form = new();
    private int _step;
    private bool _busy;
    private bool _fromList;
    private IReadOnlyList<VmListRow> _targets = [];
    private IReadOnlyList<string> _nodes = [];
    private IReadOnlyList<BackupStorage>? _storages;
    private string? _storagesError;
    private Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private string? _error;
    private BulkPlan? _plan;
    private string? _deleteConfirm;
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    [SupplyParameterFromQuery(Name = "op")] public string? Op { get; set; }
    [SupplyParameterFromQuery(Name = "vms")] public string? Vms { get; set; }
    [SupplyParameterFromQuery(Name = "all")] public string? AllMatching { get; set; }
    [SupplyParameterFromQuery(Name = "expr")] public string? Expr { get; set; }
    [SupplyParameterFromQuery(Name = "node")] public string? NodeFilter { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? NameFilter { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? StatusFilter { get; set; }

    protected override void OnInitialized()
    {
        if (BulkOperationKinds.IsKnown(Op)) _form.Operation = Op;
        var checkedVms = BulkWizardLink.ParseVms(Vms);
        if (checkedVms.Count > 0)
        {
            _form.Mode = BulkTargetMode.Checked;
            _form.Checked = checkedVms;
            _fromList = true;
        }
        else if (AllMatching == "1")
        {
            _fromList = true;
            var expr = Clean(Expr);
            var node = Clean(NodeFilter);
            var name = Clean(NameFilter);
            var status = Clean(StatusFilter);
            var given = new[] { expr, node, name, status }.Count(v => v is not null);
            if (given == 0) _form.Mode = BulkTargetMode.All;
            else if (given == 1 && expr is not null) (_form.Mode, _form.TagExpression) = (BulkTargetMode.TagExpression, expr);
            else if (given == 1 && node is not null) (_form.Mode, _form.Node) = (BulkTargetMode.Node, node);
            else if (given == 1 && name is not null) (_form.Mode, _form.NamePattern) = (BulkTargetMode.NamePattern, $"*{name}*");
            else (_form.Mode, _form.ListFilter) = (BulkTargetMode.ListFilter, new VmFilter(Status: status, Node: node, Name: name, TagExpression: expr, IncludeTemplates: false));
        }
        // From the list the operation and the VMs are chosen: open at the options (the targets are one click back).
        _step = _form.Operation is null ? OperationStep : _fromList ? OptionsStep : TargetStep;
        Refresh();
    }

    protected override async Task OnInitializedAsync()
    {
        if (_form.Operation == BulkOperationKinds.Backup) await LoadStoragesAsync();
    }

    /// <summary>Recomputes the targets and the nodes from the shared inventory rows.</summary>
    private void Refresh()
    {
        var estate = vmList.Estate();
        _nodes = estate.Nodes;
        _targets = BulkTargetPreview.Resolve(_form, estate.Rows);
        _now = DateTimeOffset.UtcNow;
    }

    private IReadOnlyList<VmRef> TargetRefs => BulkTargetPreview.Refs(_targets);

    private string? ConnectionError => BulkWizardForm.ConnectionError(TargetRefs);

    private bool Destructive => BulkOperationKinds.IsDestructive(_form.Operation);

    private bool IsDelete => _form.Operation == BulkOperationKinds.Delete;

    private int PlannedCount => _plan?.WouldSucceed ?? 0;

    private void SetOperation(string op)
    {
        _form.Operation = op;
        _plan = null;
        _errors.Remove("operation");
        if (op == BulkOperationKinds.Backup && _storages is null) _ = LoadStoragesAndRenderAsync();
    }

    private void SetMode(BulkTargetMode mode)
    {
        _form.Mode = mode;
        _plan = null;
        Refresh();
    }

    private void TargetsChanged()
    {
        _plan = null;
        Refresh();
    }

    private async Task LoadStoragesAndRenderAsync()
    {
        await LoadStoragesAsync();
        await InvokeAsync(StateHasChanged);
    }

    private async Task LoadStoragesAsync()
    {
        try
        {
            _storages = await backups.StoragesAsync(null, _cts.Token);
            _storagesError = null;
            _form.Storage ??= _storages.OrderBy(s => s.Shared ? 0 : 1).ThenBy(s => s.Storage, StringComparer.Ordinal).FirstOrDefault()?.Storage;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or HttpRequestException or InvalidOperationException)
        {
            _storagesError = ex.Message;
        }
    }

    /// <summary>Storage names offered (one entry per name; the engine picks the VM's connection's).</summary>
    private IReadOnlyList<BackupStorage> StorageChoices => [.. (_storages ?? []).GroupBy(s => s.Storage, StringComparer.Ordinal).Select(g => g.First())
        .OrderBy(s => s.Shared ? 0 : 1).ThenBy(s => s.Storage, StringComparer.Ordinal)];

    /// <summary>Moves to a step; going forward checks the steps in between (their errors stop the move).</summary>
    private void Go(int step)
    {
        if (step < 0 || step > PlanStep || _busy) return;
        if (step > _step)
        {
            _errors = new(StringComparer.Ordinal);
            if (_step <= OperationStep && step > OperationStep && !BulkOperationKinds.IsKnown(_form.Operation))
            {
                _errors["operation"] = "Choose an operation.";
                _step = OperationStep;
                return;
            }
            if (_step <= TargetStep && step > TargetStep)
            {
                Refresh();
                _errors = _form.ValidateTargets();
                if (_errors.Count == 0 && _targets.Count == 0) _errors["selection"] = "No VM matches this selection.";
                if (_errors.Count == 0 && ConnectionError is { } connectionError) _errors["selection"] = connectionError;
                if (_errors.Count > 0)
                {
                    _step = _errors.ContainsKey("operation") ? OperationStep : TargetStep;
                    return;
                }
            }
            if (step == PlanStep && _plan is null) return;   // the plan step is reached by planning
        }
        _step = step;
    }

    /// <summary>The options' own checks, then the engine's dry run (or, without dry run, the submit).</summary>
    private async Task ContinueAsync()
    {
        if (_busy) return;
        Go(OptionsStep);
        if (_step != OptionsStep) return;
        Refresh();
        var sample = _targets.FirstOrDefault();
        _errors = _form.ValidateOptions(sample?.Name, sample?.VmId ?? 100, _now);
        if (_errors.Count > 0) return;
        if (_form.DryRun) await PlanAsync();
        else await SubmitAsync();
    }

    private async Task PlanAsync()
    {
        _busy = true;
        _error = null;
        try
        {
            _plan = await bulk.PlanAsync(await user.GetActorAsync(), Request(), _cts.Token);
            _deleteConfirm = null;
            _step = PlanStep;
        }
        catch (ValidationException ex)
        {
            ShowRefusal(ex);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or ForbiddenException or KeyNotFoundException or InvalidOperationException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Runs the plan exactly as shown (after the confirmation destructive operations need).</summary>
    private async Task ExecuteAsync()
    {
        if (_busy || _plan is null) return;
        if (PlannedCount == 0)
        {
            _error = "No VM in this plan would succeed: nothing to run.";
            return;
        }
        if (!await ConfirmAsync(PlannedCount)) return;
        _busy = true;
        _error = null;
        try
        {
            var result = await bulk.ExecutePlanAsync(await user.GetActorAsync(), _plan.PlanId, _cts.Token);
            navigation.NavigateTo($"bulk/{Uri.EscapeDataString(result.OperationId)}");
        }
        catch (ValidationException ex)
        {
            _error = ex.Message;
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or ForbiddenException or KeyNotFoundException or InvalidOperationException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Without dry run: plans and queues at once.</summary>
    private async Task SubmitAsync()
    {
        if (!await ConfirmAsync(_targets.Count)) return;
        _busy = true;
        _error = null;
        try
        {
            var result = await bulk.SubmitAsync(await user.GetActorAsync(), Request(), _cts.Token);
            navigation.NavigateTo($"bulk/{Uri.EscapeDataString(result.OperationId)}");
        }
        catch (ValidationException ex)
        {
            ShowRefusal(ex);
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is ProxmoxException or ForbiddenException or KeyNotFoundException or InvalidOperationException)
        {
            _error = ex.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>Destructive operations ask first; delete needs the count (or "delete") typed in the plan step, so without a
    /// plan it cannot be confirmed here.</summary>
    private async Task<bool> ConfirmAsync(int count)
    {
        if (IsDelete)
        {
            if (BulkWizardForm.DeleteConfirmed(_deleteConfirm, count)) return true;
            _errors = new(StringComparer.Ordinal) { ["confirm"] = $"Type {count} (the number of VMs) or the word delete to confirm." };
            if (_plan is null) _error = "Delete runs only from a plan: switch the dry run on.";
            return false;
        }
        if (!Destructive) return true;
        var what = BulkOperationKinds.Title(_form.Operation);
        return await ConfirmDialog.AskAsync(dialogs, $"{what} {count} VMs?",
            $"{what} {count} virtual machine{(count == 1 ? "" : "s")}?", BulkOperationKinds.Description(_form.Operation));
    }

    private BulkRequest Request() => _form.ToRequest(_form.Mode == BulkTargetMode.ListFilter ? TargetRefs : null);

    /// <summary>The engine's per-field refusals go under their fields; the wizard goes back to the step owning the first.</summary>
    private void ShowRefusal(ValidationException ex)
    {
        _errors = new(ex.Errors, StringComparer.Ordinal);
        _step = ex.Errors.Count == 0 ? _step : ex.Errors.Keys.Select(StepOf).Min();
        if (ex.Errors.Keys.All(k => !Known(k))) _error = ex.Message;
    }

    /// <summary>The step where a field of the request is chosen.</summary>
    public static int StepOf(string field)
    {
        var f = field.ToLowerInvariant();
        return f switch
        {
            "kind" or "operation" or "action" or "poweraction" => OperationStep,
            "selection" or "vmids" or "tagexpression" or "namepattern" or "node" or "all" or "connection" => TargetStep,
            _ when f.StartsWith("selection.", StringComparison.Ordinal) => TargetStep,
            _ => OptionsStep,
        };
    }

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "operation", "selection", "vmIds", "tagExpression", "namePattern", "node", "maxParallel", "perNodeLimit",
        "timeout", "snapshotBeforeTtlHours", "snapshotName", "ttlHours", "description",
        "storage", "mode", "compress", "notes", "tags", "confirm",
        "snapshotDelete", "snapshotNames", "snapshotPattern", "ageThresholdHours", "keepNewest",
    };

    private static bool Known(string field) => KnownFields.Contains(field);

    private string? Error(string field) => _errors.GetValueOrDefault(field);

    /// <summary>The snapshot names the pattern gives for the first few targets (UTC now).</summary>
    private IEnumerable<(VmListRow Vm, string Name, string? Error)> NamePreview() =>
        _targets.Take(3).Select(vm =>
        {
            var name = SnapshotNamePattern.Render(_form.SnapshotName ?? "", vm.Name, vm.VmId, _now);
            return (vm, name, Core.Snapshots.SnapshotRules.NameError(name));
        });

    private void OnSnapshotNameInput(string text)
    {
        _form.SnapshotName = text;
        _now = DateTimeOffset.UtcNow;
        _errors.Remove("snapshotName");
    }

    private void OnConfirmInput(string text)
    {
        _deleteConfirm = text;
        _errors.Remove("confirm");
    }

    private static int? ParseInt(object? value) =>
        int.TryParse(value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string Count(int n, string one) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} {one}{(n == 1 ? "" : "s")}");

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }
}
