using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Moxxie.Core.Vms;
using Moxxie.Web.Components.Pages.Vms;

namespace Moxxie.Tests.Components;

/// <summary>Hosts a <see cref="VmTable"/> whose rows a test replaces, as the VM list page does on each inventory poll.</summary>
public sealed class VmTableHarness : ComponentBase
{
    private IReadOnlyList<VmListRow> _rows = [];

    [Parameter, EditorRequired] public IReadOnlyList<VmListRow> Rows { get; set; } = [];

    [Parameter, EditorRequired] public Action<VmTableHarness> OnCreated { get; set; } = _ => { };

    /// <summary>The table (to tell it which rows the browser has in view, as vmwindow.js does).</summary>
    public VmTable? Table { get; private set; }

    protected override void OnInitialized()
    {
        _rows = Rows;
        OnCreated(this);
    }

    /// <summary>New rows, re-rendered (call on the renderer's dispatcher).</summary>
    public void Show(IReadOnlyList<VmListRow> rows)
    {
        _rows = rows;
        StateHasChanged();
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<VmTable>(0);
        builder.AddComponentParameter(1, nameof(VmTable.Rows), _rows);
        builder.AddComponentParameter(2, nameof(VmTable.CanOperate), true);
        builder.AddComponentReferenceCapture(3, table => Table = (VmTable)table);
        builder.CloseComponent();
    }
}
