using System.Globalization;
using System.Text.Json;
using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox.Wire;

namespace Moxxie.Infrastructure.Proxmox;

internal sealed partial class ProxmoxGateway
{
    /// <summary>Ticket connections: log in now (POST /access/ticket) and report the session PVE granted.</summary>
    internal Task<PveSession> LoginAsync(CancellationToken ct) => client.LoginAsync(ct);

    private static string Id(int vmId) => vmId.ToString(CultureInfo.InvariantCulture);

    private static string GuestPath(string node, GuestType type, int vmId) => $"nodes/{E(node)}/{TypePath(type)}/{Id(vmId)}";

    /// <summary>The UPID a task-starting call answers with (an error when PVE sent none).</summary>
    private string Upid(JsonElement root, string path) =>
        OptionalUpid(root) ?? throw new ProxmoxException(Connection, 200, $"PVE returned no task id for {path}.");

    /// <summary>Calls that may finish synchronously answer "data": null (or "") instead of a UPID.</summary>
    private static string? OptionalUpid(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String
        && d.GetString() is { Length: > 0 } s ? s : null;

    private async Task<JsonElement> DataElementAsync(string path, CancellationToken ct)
    {
        var root = await client.GetAsync(path, ct);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null)
            throw new ProxmoxException(Connection, 200, $"PVE returned no data for {path}.");
        return data;
    }

    private async Task<List<T>> ListAsync<T>(string path, CancellationToken ct) => await client.GetDataAsync<List<T>>(path, ct) ?? [];

    private static string Lower<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Cf(RrdConsolidation cf) => cf == RrdConsolidation.Max ? "MAX" : "AVERAGE";
}
