namespace Moxxie.Core.Inventory;

/// <summary>
/// Singleton, BCL only. Holds the latest <see cref="InventorySnapshot"/> per connection and the tasks being tracked,
/// and fans changes out to subscribers (Blazor circuits). Publishing never waits for a subscriber.
/// Infrastructure's refresher (one per connection, not one per browser) publishes; pages subscribe and re-render
/// through InvokeAsync, disposing the subscription with the component.
/// </summary>
public sealed class InventoryHub
{
    // TODO(H2): implement — see the brief. Public surface below is the contract other parts build on.
    public IReadOnlyList<InventorySnapshot> Snapshots => throw new NotImplementedException();

    public InventorySnapshot? Get(string connection) => throw new NotImplementedException();

    public IReadOnlyList<TrackedTask> TrackedTasks => throw new NotImplementedException();

    public void Publish(InventorySnapshot snapshot) => throw new NotImplementedException();

    public void Publish(TrackedTask task) => throw new NotImplementedException();

    /// <summary>Subscribe to every change; dispose to stop. The handler runs on the publisher's thread: marshal with InvokeAsync.</summary>
    public IDisposable Subscribe(Func<InventoryEvent, Task> handler) => throw new NotImplementedException();
}
