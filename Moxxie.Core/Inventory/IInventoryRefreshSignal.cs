namespace Moxxie.Core.Inventory;

/// <summary>Asks a connection's refresher to poll now instead of at the next tick: a tracked task ended, or Core changed
/// something PVE answers without a task (e.g. PUT …/config for tags), so the inventory shows it within about a second.
/// Implemented by Infrastructure's inventory refresher.</summary>
public interface IInventoryRefreshSignal
{
    void RequestRefresh(string connection);
}
