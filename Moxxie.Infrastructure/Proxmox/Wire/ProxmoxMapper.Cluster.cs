using System.Text.Json;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox.Wire;

internal static partial class ProxmoxMapper
{
    public static SdnZone ToZone(SdnZoneDto d) =>
        new(d.Zone ?? "", d.Type ?? "", Empty(d.Bridge), Empty(d.Ipam), Empty(d.Dhcp), SplitList(d.Nodes), d.Mtu, d.Tag, Empty(d.State), Empty(d.Digest))
        {
            Mac = Empty(d.Mac),
        };

    public static SdnVnet ToVnet(SdnVnetDto d) =>
        new(d.Vnet ?? "", d.Zone ?? "", d.Tag, Empty(d.Alias), d.VlanAware ?? false, d.IsolatePorts ?? false, Empty(d.State), Empty(d.Digest));

    public static SdnSubnet ToSubnet(SdnSubnetDto d, string vnet)
    {
        var ranges = new List<string>();
        if (d.DhcpRange is { } r)
        {
            var items = r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [r];
            foreach (var i in items)
                if (i.ValueKind == JsonValueKind.Object)
                    ranges.Add($"{PveJson.ScalarText(i.TryGetProperty("start-address", out var s) ? s : default)}-{PveJson.ScalarText(i.TryGetProperty("end-address", out var e) ? e : default)}");
                else if (PveJson.ScalarText(i) is { Length: > 0 } text) ranges.Add(text);
        }
        return new SdnSubnet(d.Id ?? d.Subnet ?? "", d.Cidr ?? d.Subnet ?? "", d.Vnet ?? vnet, Empty(d.Zone), Empty(d.Gateway), d.Snat ?? false, ranges,
            Empty(d.DnsZonePrefix), Empty(d.State));
    }

    public static Pool ToPool(PoolDto d, string? poolId = null) =>
        new(d.PoolId ?? poolId ?? "", Empty(d.Comment),
            [.. (d.Members ?? []).Select(m => new PoolMember(m.Id ?? "", m.Type ?? "", Empty(m.Node), m.VmId, Empty(m.Storage), Empty(m.Name), Empty(m.Status)))]);

    public static HaResource ToHaResource(HaResourceDto d) =>
        new(d.Sid ?? "", d.Type ?? (d.Sid?.Split(':')[0] ?? ""), Empty(d.State), Empty(d.Group), d.MaxRestart, d.MaxRelocate, Empty(d.Comment), Empty(d.Digest));

    public static HaStatusEntry ToHaStatus(HaStatusDto d) =>
        new(d.Id ?? "", d.Type ?? "", Empty(d.Node), Empty(d.Status), Empty(d.State), Empty(d.Sid), d.Quorate, Empty(d.CrmState), Empty(d.RequestState),
            d.Timestamp is { } t ? DateTimeOffset.FromUnixTimeSeconds(t) : null);
}
