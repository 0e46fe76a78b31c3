using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox.Wire;

namespace Moxxie.Infrastructure.Proxmox;

internal sealed partial class ProxmoxGateway
{
    public async Task<ClusterResources> GetResourcesAsync(string? type, CancellationToken ct) =>
        ProxmoxMapper.ToResources(await ListAsync<ResourceDto>($"cluster/resources{new PveParams().Add("type", type).Query()}", ct));

    /// <summary>PVE answers the id as a string ("105"); a number is read as well.</summary>
    public async Task<int> GetNextVmIdAsync(int? vmId, CancellationToken ct)
    {
        var path = $"cluster/nextid{new PveParams().Add("vmid", vmId).Query()}";
        var data = await DataElementAsync(path, ct);
        var text = data.ValueKind == System.Text.Json.JsonValueKind.Number ? data.GetRawText() : data.GetString();
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ProxmoxException(Connection, 200, $"GET {path}: unexpected answer '{text}'");
    }

    public async Task<IReadOnlyList<SdnZone>> GetSdnZonesAsync(CancellationToken ct) =>
        [.. (await ListAsync<SdnZoneDto>("cluster/sdn/zones", ct)).Select(ProxmoxMapper.ToZone).OrderBy(z => z.Zone, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<SdnVnet>> GetSdnVnetsAsync(CancellationToken ct) =>
        [.. (await ListAsync<SdnVnetDto>("cluster/sdn/vnets", ct)).Select(ProxmoxMapper.ToVnet).OrderBy(v => v.Vnet, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<SdnSubnet>> GetSdnSubnetsAsync(string vnet, CancellationToken ct) =>
        [.. (await ListAsync<SdnSubnetDto>($"cluster/sdn/vnets/{E(vnet)}/subnets", ct)).Select(s => ProxmoxMapper.ToSubnet(s, vnet))
            .OrderBy(s => s.Subnet, StringComparer.Ordinal)];

    /// <summary>GET /pools lists pools without members (PVE 8+); members come from GET /pools?poolid= per pool.</summary>
    public async Task<IReadOnlyList<Pool>> GetPoolsAsync(CancellationToken ct)
    {
        var pools = await ListAsync<PoolDto>("pools", ct);
        var result = new List<Pool>();
        foreach (var p in pools.Where(p => !string.IsNullOrEmpty(p.PoolId)))
        {
            if (p.Members is not null)
            {
                result.Add(ProxmoxMapper.ToPool(p));
                continue;
            }
            var detail = await ListAsync<PoolDto>($"pools{new PveParams().Add("poolid", p.PoolId).Query()}", ct);
            result.Add(ProxmoxMapper.ToPool(detail.FirstOrDefault(d => d.PoolId == p.PoolId) ?? p, p.PoolId));
        }
        return [.. result.OrderBy(p => p.PoolId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<HaResource>> GetHaResourcesAsync(CancellationToken ct) =>
        [.. (await ListAsync<HaResourceDto>("cluster/ha/resources", ct)).Select(ProxmoxMapper.ToHaResource).OrderBy(r => r.Sid, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<HaStatusEntry>> GetHaStatusAsync(CancellationToken ct) =>
        [.. (await ListAsync<HaStatusDto>("cluster/ha/status/current", ct)).Select(ProxmoxMapper.ToHaStatus)];
}
