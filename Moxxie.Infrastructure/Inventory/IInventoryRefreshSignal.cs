namespace Moxxie.Infrastructure.Inventory;

/// <summary>Asks a connection's refresher to poll now (e.g. a tracked task ended), instead of at the next tick.</summary>
public interface IInventoryRefreshSignal
{
    void RequestRefresh(string connection);
}
