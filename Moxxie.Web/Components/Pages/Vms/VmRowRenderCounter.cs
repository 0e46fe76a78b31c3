namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>Per circuit (scoped): how many VM rows were rendered. Diagnostics for tests and the benchmark — a poll that
/// changed nothing must not render any row.</summary>
public sealed class VmRowRenderCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Rendered() => Interlocked.Increment(ref _count);
}
