using Microsoft.AspNetCore.Components;
using Moxxie.Core.Scheduling;
using Moxxie.Core.Validation;

namespace Moxxie.Web.Components.Pages.Scheduler;

/// <summary>Edits the form's <see cref="SelectorDraft"/> rows in place and previews them through Core
/// (<see cref="ScheduledJobService.PreviewSelection"/>): the count and the list, or the selectors' own errors.</summary>
public sealed partial class SelectorBuilder(ScheduledJobService jobs)
{
    private const int PreviewRows = 50;
    private string _addType = JobSelector.TagExpression;
    private IReadOnlyList<SelectableVm>? _preview;
    private Dictionary<string, string>? _previewErrors;

    [Parameter, EditorRequired] public List<SelectorDraft> Selectors { get; set; } = [];
    [Parameter, EditorRequired] public SelectorChoices Choices { get; set; } = new([], [], []);
    /// <summary>The server's refusal of the last save (vmSelectors, vmSelectors[i].value).</summary>
    [Parameter] public IReadOnlyDictionary<string, string> Errors { get; set; } = new Dictionary<string, string>();
    [Parameter] public EventCallback OnChanged { get; set; }

    private IReadOnlyDictionary<string, string> ShownErrors => _previewErrors ?? Errors;

    private bool MultipleConnections => _preview?.Select(v => v.Connection).Distinct().Count() > 1;

    public static string Label(string type) => type switch
    {
        JobSelector.All => "All VMs",
        JobSelector.VmIds => "VMIDs",
        JobSelector.NamePattern => "Name pattern",
        JobSelector.TagExpression => "Tag expression",
        JobSelector.Node => "Node",
        JobSelector.Pool => "Pool",
        _ => type,
    };

    private Task Add()
    {
        Selectors.Add(new SelectorDraft(_addType, ""));
        return ChangedAsync();
    }

    private Task Remove(SelectorDraft s)
    {
        Selectors.Remove(s);
        return ChangedAsync();
    }

    private Task SetType(SelectorDraft s, string? type)
    {
        if (type is null || type == s.Type) return Task.CompletedTask;
        s.Type = type;
        s.Value = "";
        return ChangedAsync();
    }

    private Task SetValue(SelectorDraft s, string? value)
    {
        s.Value = value ?? "";
        return ChangedAsync();
    }

    private Task Toggle(SelectorDraft s, string name, bool on)
    {
        s.Toggle(name, on);
        return ChangedAsync();
    }

    /// <summary>A change makes the last preview stale: it goes (press Preview again).</summary>
    private Task ChangedAsync()
    {
        _preview = null;
        _previewErrors = null;
        return OnChanged.InvokeAsync();
    }

    private void Preview()
    {
        try
        {
            _preview = jobs.PreviewSelection([.. Selectors.Select(s => new JobSelector(s.Type, s.Type == JobSelector.All ? null : s.Value))]);
            _previewErrors = null;
        }
        catch (ValidationException ex)
        {
            _preview = null;
            _previewErrors = new Dictionary<string, string>(ex.Errors);
        }
    }
}
