using System.Globalization;
using System.Text.Json;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox;

internal sealed partial class ProxmoxGateway
{
    /// <summary>PVE wraps the agent's answer: {"data": {"result": [{"name", "hardware-address", "ip-addresses": [{"ip-address", "prefix"}]}]}}.</summary>
    public async Task<IReadOnlyList<GuestAgentInterface>> GetAgentInterfacesAsync(string node, int vmId, CancellationToken ct)
    {
        var data = await DataElementAsync($"nodes/{E(node)}/qemu/{vmId.ToString(CultureInfo.InvariantCulture)}/agent/network-get-interfaces", ct);
        var result = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("result", out var r) ? r : data;
        if (result.ValueKind != JsonValueKind.Array) return [];
        var interfaces = new List<GuestAgentInterface>();
        foreach (var i in result.EnumerateArray())
        {
            var name = i.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? "" : "";
            var mac = i.TryGetProperty("hardware-address", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            var addresses = new List<string>();
            if (i.TryGetProperty("ip-addresses", out var ips) && ips.ValueKind == JsonValueKind.Array)
                foreach (var ip in ips.EnumerateArray())
                {
                    if (!ip.TryGetProperty("ip-address", out var a) || a.ValueKind != JsonValueKind.String) continue;
                    var prefix = ip.TryGetProperty("prefix", out var p) && p.ValueKind == JsonValueKind.Number ? "/" + p.GetInt32().ToString(CultureInfo.InvariantCulture) : "";
                    addresses.Add(a.GetString() + prefix);
                }
            interfaces.Add(new GuestAgentInterface(name, mac, addresses));
        }
        return interfaces;
    }
}
