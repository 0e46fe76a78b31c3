#pragma warning disable BL0006 // RenderTree types: this test renderer inspects the diffs a browser would receive
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moxxie.Tests.Components;

/// <summary>
/// A renderer that keeps the edits of every render batch, as Blazor Server would send them to the browser: which
/// elements a change creates (<see cref="RenderTreeEditType.PrependFrame"/>) and which it only updates in place.
/// </summary>
internal sealed class RenderBatchRecorder(IServiceProvider services) : Renderer(services, NullLoggerFactory.Instance)
{
    private readonly List<(RenderTreeEditType Type, string? Element)> _edits = [];

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    /// <summary>Interactive, like a circuit (the row menus render their buttons enabled).</summary>
    protected override RendererInfo RendererInfo { get; } = new("Test", isInteractive: true);

    /// <summary>Edits since the last <see cref="Clear"/>, with the element name of prepended element frames.</summary>
    public IReadOnlyList<(RenderTreeEditType Type, string? Element)> Edits => _edits;

    public void Clear() => _edits.Clear();

    /// <summary>Elements of this name the recorded batches create.</summary>
    public int Created(string element) => _edits.Count(e => e.Element == element);

    /// <summary>Texts and attributes the recorded batches change on existing elements.</summary>
    public int UpdatedInPlace => _edits.Count(e => e.Type is RenderTreeEditType.UpdateText or RenderTreeEditType.SetAttribute);

    /// <summary>Elements the recorded batches move (keyed rows in a new order).</summary>
    public int Moved => _edits.Count(e => e.Type == RenderTreeEditType.PermutationListEntry);

    public Task<int> RenderRootAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent, new() =>
        Dispatcher.InvokeAsync(async () =>
        {
            var id = AssignRootComponentId(new TComponent());
            await RenderRootComponentAsync(id, ParameterView.FromDictionary(parameters));
            return id;
        });

    protected override void HandleException(Exception exception) => ExceptionDispatchInfo.Capture(exception).Throw();

    protected override Task UpdateDisplayAsync(in RenderBatch batch)
    {
        for (var c = 0; c < batch.UpdatedComponents.Count; c++)
        {
            var diff = batch.UpdatedComponents.Array[c];
            for (var e = 0; e < diff.Edits.Count; e++)
            {
                var edit = diff.Edits.Array[diff.Edits.Offset + e];
                string? element = null;
                if (edit.Type == RenderTreeEditType.PrependFrame)
                {
                    var frame = batch.ReferenceFrames.Array[edit.ReferenceFrameIndex];
                    if (frame.FrameType == RenderTreeFrameType.Element) element = frame.ElementName;
                }
                _edits.Add((edit.Type, element));
            }
        }
        return Task.CompletedTask;
    }
}
