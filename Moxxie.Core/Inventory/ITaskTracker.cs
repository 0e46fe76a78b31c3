namespace Moxxie.Core.Inventory;

/// <summary>Follows a started PVE task (by UPID) to completion, publishing <see cref="TaskUpdated"/> as status and log change,
/// and asks the connection's refresher for an immediate inventory refresh when it ends.</summary>
public interface ITaskTracker
{
    void Track(string connection, string node, string upid, string startedBy);
}
