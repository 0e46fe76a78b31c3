namespace Moxxie.Simulator.Api;

/// <summary>Node, service, network, storage, backup, SDN and pool methods.</summary>
internal sealed partial class PveApi
{
    private IEnumerable<ApiRoute> InfrastructureRoutes() => [];
}
