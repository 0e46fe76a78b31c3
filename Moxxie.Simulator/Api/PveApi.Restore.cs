using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>
/// POST /nodes/{node}/qemu with "archive" (qmrestore). The route is registered with qemu create in PveApi.Guests.cs;
/// the restore itself belongs to the backup side (siminfra), which replaces this body and builds the guest with
/// SimulatedCluster.CreateGuest(node, vmid, "qemu", config, lockName: "create", storage: …).
/// </summary>
internal sealed partial class PveApi
{
    private ApiResponse RestoreQemu(ApiRequest r) =>
        throw PveError.Server($"unable to restore VM {r.Get("vmid")} - volume '{r.Get("archive")}' does not exist");
}
