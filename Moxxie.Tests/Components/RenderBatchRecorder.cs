#pragma warning disable BL0006 // RenderTree types: this test renderer inspects the diffs a browser would receive
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.Logging.Abstractions;

namespace Moxxie.Tests.Components;

/// <summary>
/// A renderer that keeps the edits of every render batch, as Blazor Server would send them to the browser: which
/// elements a change creates (<see cref="RenderTreeEditType.PrependFrame"/>) and which it only updates in place. It also
/// serialises each batch with Blazor Server's own binary writer (the bytes a circuit sends the browser for it; internal
/// to Microsoft.AspNetCore.Components.Server, so reached by reflection) and counts them.
/// </summary>
internal sealed class RenderBatchRecorder(IServiceProvider services) : Renderer(services, NullLoggerFactory.Instance)
{
    private static readonly Type s_writer = typeof(Microsoft.AspNetCore.Components.Server.CircuitOptions).Assembly
        .GetType("Microsoft.AspNetCore.Components.Server.Circuits.RenderBatchWriter", throwOnError: true)!;
    private static readonly MethodInfo s_write = s_writer.GetMethod("Write")!;

    private readonly List<(RenderTreeEditType Type, string? Element)> _edits = [];

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    /// <summary>Interactive, like a circuit (the row menus render their buttons enabled).</summary>
    protected override RendererInfo RendererInfo { get; } = new("Test", isInteractive: true);

    /// <summary>Edits since the last <see cref="Clear"/>, with the element name of prepended element frames.</summary>
    public IReadOnlyList<(RenderTreeEditType Type, string? Element)> Edits => _edits;

    /// <summary>Bytes of the batches since the last <see cref="Clear"/>.</summary>
    public long Bytes { get; private set; }

    /// <summary>Components rendered (diffs) since the last <see cref="Clear"/>.</summary>
    public int ComponentsRendered { get; private set; }

    /// <summary>Edits by type and the attribute or element they touch, since the last <see cref="Clear"/> (diagnostics).</summary>
    public Dictionary<string, int> EditKinds { get; } = [];

    public void Clear()
    {
        _edits.Clear();
        EditKinds.Clear();
        Bytes = 0;
        ComponentsRendered = 0;
    }

    /// <summary>Elements of this name the recorded batches create.</summary>
    public int Created(string element) => _edits.Count(e => e.Element == element);

    /// <summary>Texts and attributes the recorded batches change on existing elements.</summary>
    public int UpdatedInPlace => _edits.Count(e => e.Type is RenderTreeEditType.UpdateText or RenderTreeEditType.SetAttribute);

    /// <summary>Frames (elements, texts, components) the recorded batches remove.</summary>
    public int Removed => _edits.Count(e => e.Type == RenderTreeEditType.RemoveFrame);

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
        using (var stream = new MemoryStream())
        {
            var writer = (IDisposable)Activator.CreateInstance(s_writer, stream, true)!;
            s_write.Invoke(writer, [batch]);
            writer.Dispose();
            Bytes += stream.Length;
        }
        ComponentsRendered += batch.UpdatedComponents.Count;
        for (var c = 0; c < batch.UpdatedComponents.Count; c++)
        {
            var diff = batch.UpdatedComponents.Array[c];
            for (var e = 0; e < diff.Edits.Count; e++)
            {
                var edit = diff.Edits.Array[diff.Edits.Offset + e];
                var frame = edit.Type is RenderTreeEditType.SetAttribute or RenderTreeEditType.UpdateText or RenderTreeEditType.PrependFrame or RenderTreeEditType.UpdateMarkup
                    ? batch.ReferenceFrames.Array[edit.ReferenceFrameIndex]
                    : (RenderTreeFrame?)null;
                var element = edit.Type == RenderTreeEditType.PrependFrame && frame?.FrameType == RenderTreeFrameType.Element
                    ? frame.Value.ElementName
                    : null;
                _edits.Add((edit.Type, element));

                var what = frame switch
                {
                    null => edit.RemovedAttributeName ?? "",
                    { FrameType: RenderTreeFrameType.Attribute } f => f.AttributeName,
                    { FrameType: RenderTreeFrameType.Element } f => "<" + f.ElementName,
                    { FrameType: RenderTreeFrameType.Text } => "text",
                    { FrameType: RenderTreeFrameType.Markup } => "markup",
                    { } f => f.FrameType.ToString(),
                };
                var key = $"{edit.Type} {what}";
                EditKinds[key] = EditKinds.GetValueOrDefault(key) + 1;
            }
        }
        return Task.CompletedTask;
    }
}
