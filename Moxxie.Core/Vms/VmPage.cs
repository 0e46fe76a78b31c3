namespace Moxxie.Core.Vms;

/// <summary>One page of a filtered VM list. <see cref="Page"/> is 1-based; <see cref="Total"/> counts every match.</summary>
public sealed record VmPage(IReadOnlyList<VmView> Items, int Total, int Page, int PageSize)
{
    public bool HasNext => (long)Page * PageSize < Total;

    public bool HasPrevious => Page > 1;
}
