using System.Globalization;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;

namespace Moxxie.Tests.Contract;

/// <summary>
/// Which gateway method reads (or sends) each recorded endpoint, with its arguments taken from the recording. A recording of
/// an endpoint not listed here fails the contract suite with a message saying so: add the gateway method and a line here.
/// </summary>
internal static class RecordedCalls
{
    public sealed record Call(Func<ProxmoxGateway, RecordedFixture, CancellationToken, Task<object?>> Invoke, bool TicketLogin = false);

    private static readonly Dictionary<string, Call> ByEndpoint = new(StringComparer.Ordinal)
    {
        ["GET /version"] = new((g, _, ct) => Box(g.GetVersionAsync(ct))),
        ["GET /cluster/status"] = new((g, _, ct) => Box(g.GetClusterStatusAsync(ct))),
        ["GET /cluster/resources"] = new((g, f, ct) => Box(g.GetResourcesAsync(f.Q("type"), ct))),
        ["GET /cluster/backup"] = new((g, _, ct) => Box(g.GetBackupJobsAsync(ct))),
        ["GET /cluster/sdn/zones"] = new((g, _, ct) => Box(g.GetSdnZonesAsync(ct))),
        ["GET /cluster/sdn/vnets"] = new((g, _, ct) => Box(g.GetSdnVnetsAsync(ct))),
        ["GET /nodes"] = new((g, _, ct) => Box(g.GetNodesAsync(ct))),
        ["GET /nodes/{node}/status"] = new((g, f, ct) => Box(g.GetNodeStatusAsync(f["node"], ct))),
        ["GET /nodes/{node}/network"] = new((g, f, ct) => Box(g.GetNetworkAsync(f["node"], f.Q("type"), ct))),
        ["POST /nodes/{node}/network"] = new((g, f, ct) =>
            Box(g.CreateNetworkInterfaceAsync(f["node"], new NetworkInterfaceSpec(f.Form["iface"], f.Form["type"]), ct))),
        ["GET /nodes/{node}/storage"] = new((g, f, ct) => Box(g.GetNodeStorageAsync(f["node"], new StorageQuery(f.Q("content")), ct))),
        ["GET /nodes/{node}/storage/{storage}/content"] = new((g, f, ct) =>
            Box(g.GetStorageContentAsync(f["node"], f["storage"], f.Q("content"), Int(f.Q("vmid")), ct))),
        ["GET /nodes/{node}/tasks"] = new((g, f, ct) => Box(g.GetNodeTasksAsync(f["node"], Int(f.Q("vmid")), Int(f.Q("limit")) ?? 50, ct))),
        ["GET /nodes/{node}/tasks/{upid}/status"] = new((g, f, ct) => Box(g.GetTaskStatusAsync(f["node"], f["upid"], ct))),
        ["GET /nodes/{node}/tasks/{upid}/log"] = new((g, f, ct) =>
            Box(g.GetTaskLogAsync(f["node"], f["upid"], Int(f.Q("start")) ?? 0, Int(f.Q("limit")) ?? 50, ct))),
        ["GET /nodes/{node}/qemu"] = new((g, f, ct) => Box(g.GetNodeGuestsAsync(f["node"], GuestType.Qemu, ct))),
        ["GET /nodes/{node}/lxc"] = new((g, f, ct) => Box(g.GetNodeGuestsAsync(f["node"], GuestType.Lxc, ct))),
        ["POST /nodes/{node}/qemu"] = new((g, f, ct) => Box(g.CreateVmAsync(f["node"], new CreateVmRequest(int.Parse(f.Form["vmid"], CultureInfo.InvariantCulture)), ct))),
        ["GET /nodes/{node}/qemu/{vmid}/status/current"] = new((g, f, ct) => Box(g.GetGuestStatusAsync(f["node"], Vmid(f), GuestType.Qemu, ct))),
        ["GET /nodes/{node}/lxc/{vmid}/status/current"] = new((g, f, ct) => Box(g.GetGuestStatusAsync(f["node"], Vmid(f), GuestType.Lxc, ct))),
        ["POST /nodes/{node}/qemu/{vmid}/status/start"] = new((g, f, ct) => Box(g.PowerAsync(f["node"], Vmid(f), GuestType.Qemu, PowerAction.Start, ct))),
        ["GET /nodes/{node}/qemu/{vmid}/config"] = new((g, f, ct) => Box(g.GetGuestConfigDetailAsync(f["node"], Vmid(f), GuestType.Qemu, false, ct))),
        ["GET /nodes/{node}/qemu/{vmid}/snapshot"] = new((g, f, ct) => Box(g.GetSnapshotsAsync(f["node"], Vmid(f), GuestType.Qemu, ct))),
        ["POST /nodes/{node}/qemu/{vmid}/snapshot"] = new((g, f, ct) => Box(g.CreateSnapshotAsync(f["node"], Vmid(f), GuestType.Qemu,
            new SnapshotRequest(f.Form["snapname"], f.Form.GetValueOrDefault("description"), f.Form.GetValueOrDefault("vmstate") == "1"), ct))),
        ["POST /nodes/{node}/qemu/{vmid}/vncproxy"] = new((g, f, ct) => Box(g.CreateVncProxyAsync(f["node"], Vmid(f), GuestType.Qemu, ct))),
        ["GET /nodes/{node}/qemu/{vmid}/vncwebsocket"] = new((g, f, ct) =>
            Box(g.CheckVncWebSocketAsync(f["node"], Vmid(f), GuestType.Qemu, Int(f.Q("port"))!.Value, f.Q("vncticket")!, ct))),
        ["POST /access/ticket"] = new((g, _, ct) => Box(g.LoginAsync(ct)), TicketLogin: true),
    };

    public static IReadOnlyCollection<string> Endpoints => ByEndpoint.Keys;

    public static Call? For(RecordedFixture f) => ByEndpoint.GetValueOrDefault(f.Endpoint);

    private static int Vmid(RecordedFixture f) => int.Parse(f["vmid"], CultureInfo.InvariantCulture);

    private static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    private static async Task<object?> Box<T>(Task<T> task) => await task;

    private static async Task<object?> Box(Task task)
    {
        await task;
        return null;
    }
}
