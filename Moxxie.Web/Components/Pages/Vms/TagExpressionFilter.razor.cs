using Microsoft.AspNetCore.Components;
using Moxxie.Core.Security;
using Moxxie.Core.Tags;
using Moxxie.Core.Tags.Expressions;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Shared;

namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>Tag-expression filter of the VM list. <see cref="Value"/> is the applied expression (the page's <c>expr</c>);
/// the text box and the builder edit a draft until Enter / Apply sends the normalized text to <see cref="OnApply"/>.</summary>
public sealed partial class TagExpressionFilter(
    VmListService list, SavedTagExpressionService savedExpressions, CircuitUserContext user, Radzen.DialogService dialogs) : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private IReadOnlyList<SavedTagExpression> _saved = [];
    private Actor? _actor;
    private bool _isAdmin;
    private bool _saving;
    private string? _saveName;
    private bool _saveShared;
    private string? _savedError;

    private const int PreviewRows = 20;

    private string _text = "";
    private string? _appliedSeen;
    private bool _initialized;
    private TagExpression? _parsed;
    private TagExpressionParseException? _error;
    private TagQueryNode _root = TagQueryNode.From(null);
    private IReadOnlyList<string> _problems = [];
    private bool _builderOpen;
    private IReadOnlyList<VmListRow> _matches = [];

    /// <summary>The applied expression (from the URL), or null.</summary>
    [Parameter] public string? Value { get; set; }

    /// <summary>Tags in use, offered by the builder's pickers.</summary>
    [Parameter] public IReadOnlyList<string> Tags { get; set; } = [];

    /// <summary>Apply this normalized expression (null: no expression filter).</summary>
    [Parameter] public EventCallback<string?> OnApply { get; set; }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _actor = await user.GetActorAsync();
            _isAdmin = _actor.IsAdmin;
            _saved = await savedExpressions.ListAsync(_actor, _cts.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _savedError = "Could not load the saved expressions: " + ex.Message;
        }
    }

    private bool CanDelete(SavedTagExpression saved) => saved.OwnerUserName is not null || _isAdmin;

    private async Task ApplySavedAsync(SavedTagExpression saved)
    {
        SetText(saved.Expression, rebuildTree: true);
        await ApplyAsync();
    }

    private void StartSaving()
    {
        _saving = true;
        _saveName = null;
        _saveShared = false;
        _savedError = null;
    }

    private async Task SaveAsync()
    {
        if (_actor is null || _parsed is null) return;
        try
        {
            await savedExpressions.SaveAsync(_actor, _saveName, _parsed.ToString(), _saveShared, _cts.Token);
            _saved = await savedExpressions.ListAsync(_actor, _cts.Token);
            _saving = false;
            _savedError = null;
        }
        catch (ValidationException ex)
        {
            _savedError = string.Join(" ", ex.Errors.Values);
        }
        catch (ForbiddenException ex)
        {
            _savedError = ex.Message;
        }
    }

    private async Task DeleteSavedAsync(SavedTagExpression saved)
    {
        if (_actor is null) return;
        if (!await ConfirmDialog.AskAsync(dialogs, $"Delete {saved.Name}?", $"Delete the saved expression '{saved.Name}'?",
                saved.Expression + (saved.OwnerUserName is null ? " — shared: it goes for everyone." : "")))
            return;
        try
        {
            await savedExpressions.DeleteAsync(_actor, saved.Id, _cts.Token);
            _saved = await savedExpressions.ListAsync(_actor, _cts.Token);
            _savedError = null;
        }
        catch (ForbiddenException ex)
        {
            _savedError = ex.Message;
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        _cts.Dispose();
    }

    protected override void OnParametersSet()
    {
        if (_initialized && string.Equals(Value, _appliedSeen, StringComparison.Ordinal)) return;
        _initialized = true;
        _appliedSeen = Value;
        SetText(Value ?? "", rebuildTree: true);
    }

    private void OnInput(string text) => SetText(text, rebuildTree: true);

    private async Task ApplyAsync()
    {
        if (_error is not null) return;
        var normalized = _parsed?.ToString();
        if (normalized is not null) SetText(normalized, rebuildTree: false);
        await OnApply.InvokeAsync(normalized);
    }

    private async Task ClearAsync()
    {
        SetText("", rebuildTree: true);
        await OnApply.InvokeAsync(null);
    }

    private void ToggleBuilder()
    {
        _builderOpen = !_builderOpen;
        Preview();
    }

    /// <summary>Builder → text: the tree's expression, normalized (the text stays as it was while a picker holds an invalid tag).</summary>
    private void OnBuilderChanged()
    {
        _problems = [.. _root.Problems().Select(p => p.Message)];
        if (_problems.Count > 0) return;
        SetText(_root.ToExpression()?.ToString() ?? "", rebuildTree: false);
    }

    /// <summary>Text → builder: parses as typed; a valid text rebuilds the tree, an invalid one leaves the tree at the last valid state.</summary>
    /// <summary>The box shows <see cref="_text"/>; TypedInput writes it only when it did not come from typing.</summary>
    private void SetText(string text, bool rebuildTree)
    {
        _text = text;
        if (string.IsNullOrWhiteSpace(text))
        {
            _parsed = null;
            _error = null;
        }
        else if (TagExpression.TryParse(text, out var parsed, out var error))
        {
            _parsed = parsed;
            _error = null;
        }
        else
        {
            _error = error;
            Preview();
            return;
        }
        if (rebuildTree)
        {
            _root = TagQueryNode.From(_parsed);
            _problems = [];
        }
        Preview();
    }

    private void Preview() =>
        _matches = _builderOpen && _parsed is not null ? list.Matching(new VmFilter(TagExpression: _parsed.ToString())) : [];

    private string Before(int position) => _text[..Math.Min(position, _text.Length)];

    private string At(int position) => position < _text.Length ? _text[position].ToString() : " ";

    private string After(int position) => position + 1 < _text.Length ? _text[(position + 1)..] : "";
}
