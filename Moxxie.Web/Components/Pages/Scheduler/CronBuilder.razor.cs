using System.Globalization;
using Microsoft.AspNetCore.Components;
using Moxxie.Core.Scheduling;

namespace Moxxie.Web.Components.Pages.Scheduler;

/// <summary>Cron builder ↔ raw expression. Core decides: <see cref="CronPreset"/> writes and recognises the presets,
/// <see cref="ScheduledJobService.PreviewCron"/> checks the expression (per-field error), says it in words and lists the
/// next five fire times. <see cref="Expression"/> is the raw text as typed; <see cref="ExpressionChanged"/> reports edits.
/// The raw box is a TypedInput: what is typed is never written back, a preset's expression is.</summary>
public sealed partial class CronBuilder(ScheduledJobService jobs)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly DayOfWeek[] WeekDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private CronPreset _preset = CronPreset.Default;
    private string _raw = "";
    private string? _zoneSeen;
    private CronPreview _preview = new(false, null, null, [], "UTC");

    [Parameter, EditorRequired] public string Expression { get; set; } = "";
    [Parameter] public EventCallback<string> ExpressionChanged { get; set; }
    [Parameter] public string? TimeZone { get; set; }
    /// <summary>The server's refusal of the last save (key cronExpression).</summary>
    [Parameter] public IReadOnlyDictionary<string, string> Errors { get; set; } = new Dictionary<string, string>();

    private string Zone => string.IsNullOrWhiteSpace(TimeZone) ? "UTC" : TimeZone;

    protected override void OnParametersSet()
    {
        if (!string.Equals(Expression, _raw, StringComparison.Ordinal))
        {
            _raw = Expression;
            _preset = CronPreset.Match(Expression, _preset);
            Check();
        }
        else if (!string.Equals(_zoneSeen, TimeZone, StringComparison.Ordinal))
        {
            Check();
        }
    }

    private Task OnPresetKind(ChangeEventArgs e) =>
        Enum.TryParse<CronPresetKind>(e.Value?.ToString(), out var kind) ? SetPreset(_preset with { Kind = kind }) : Task.CompletedTask;

    /// <summary>Builder → raw: a preset writes its expression (custom keeps the text as it is).</summary>
    private async Task SetPreset(CronPreset preset)
    {
        _preset = preset;
        if (preset.ToExpression() is not { } expression) return;
        _raw = expression;
        Check();
        await ExpressionChanged.InvokeAsync(expression);
    }

    /// <summary>Raw → builder: the builder follows when the text is one of the presets, otherwise it says custom.</summary>
    private async Task OnRawInput(string text)
    {
        _raw = text;
        _preset = CronPreset.Match(_raw, _preset);
        Check();
        await ExpressionChanged.InvokeAsync(_raw);
    }

    private void Check()
    {
        _zoneSeen = TimeZone;
        _preview = jobs.PreviewCron(_raw, TimeZone);
    }

    private static int? Int(object? value, int min, int max) =>
        int.TryParse(value?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    private static string Offset(DateTimeOffset t) =>
        t.Offset == TimeSpan.Zero ? "UTC" : "UTC" + (t.Offset < TimeSpan.Zero ? "−" : "+") + t.Offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
