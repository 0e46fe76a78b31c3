namespace Moxxie.Simulator.Api;

/// <summary>Guest lifecycle methods: create, clone, config, delete, resize, snapshots, migrate, console tickets, HA.</summary>
internal sealed partial class PveApi
{
    private IEnumerable<ApiRoute> GuestRoutes() => [];
}
