using Moxxie.Simulator.Api;

namespace Moxxie.Simulator.Schema;

/// <summary>The methods the simulator serves (from PveApi's route table), for contract tests and the schema generator.</summary>
internal static class SimulatorRoutes
{
    private static readonly Lazy<IReadOnlyList<ServedRoute>> Routes = new(() =>
        // Route tables only build handler delegates; nothing touches the cluster until a handler runs.
        [.. new PveApi(null!, null!).Routes().Select(r => new ServedRoute(r.Method, r.Template.Trim('/')))]);

    public static IReadOnlyList<ServedRoute> All => Routes.Value;
}
