using System.Globalization;
using System.Text.Json;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox.Wire;

internal static partial class ProxmoxMapper
{
    public static NodeSummary ToNodeSummary(NodeListDto d) =>
        new(d.Node ?? "", d.Status ?? "unknown", d.Cpu ?? 0, (int)Math.Round(d.MaxCpu ?? 0), d.Mem ?? 0, d.MaxMem ?? 0, d.Disk ?? 0, d.MaxDisk ?? 0,
            d.Uptime ?? 0, Empty(d.Level), Empty(d.SslFingerprint));

    public static NodeStatusDetail ToNodeStatus(string node, NodeStatusDto d)
    {
        var c = d.CpuInfo;
        var loads = (d.LoadAvg ?? []).Select(l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0).ToList();
        return new NodeStatusDetail(
            node,
            d.Cpu ?? 0,
            d.Wait,
            d.Uptime ?? 0,
            Empty(d.PveVersion),
            Empty(d.KVersion) ?? (d.CurrentKernel is { } k ? $"{k.Sysname} {k.Release} {k.Version}".Trim() : null),
            Empty(d.CurrentKernel?.Release) ?? KernelRelease(d.KVersion),
            Empty(d.BootInfo?.Mode),
            d.BootInfo?.SecureBoot,
            new NodeCpuInfo(Empty(c?.Model), c?.Sockets, c?.Cores, c?.Cpus, c?.Mhz, Empty(c?.Flags)),
            Memory(d.Memory),
            Memory(d.Swap),
            Memory(d.RootFs),
            loads,
            d.Ksm?.Shared);
    }

    /// <summary>"Linux 5.15.108-1-pve #1 SMP …" → "5.15.108-1-pve".</summary>
    private static string? KernelRelease(string? kversion)
    {
        var parts = kversion?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } ? parts[1] : null;
    }

    private static NodeMemoryInfo Memory(MemoryDto? m) =>
        new(m?.Total ?? 0, m?.Used ?? 0, m?.Free ?? 0, m?.Available ?? m?.Avail);

    public static NodeService ToService(ServiceDto d) =>
        new(d.Service ?? d.Name ?? "", d.Name ?? d.Service ?? "", Empty(d.Desc), d.State ?? "unknown", Empty(d.ActiveState), Empty(d.UnitState));

    public static NetworkInterface ToInterface(NetworkIfaceDto d) =>
        new(d.Iface ?? "", d.Type ?? "unknown", d.Active ?? false, d.Autostart ?? false, d.Exists ?? false, Empty(d.Method), Empty(d.Method6),
            Empty(d.Address), Empty(d.Netmask), Empty(d.Cidr), Empty(d.Gateway), Empty(d.Address6), Empty(d.Cidr6), Empty(d.Gateway6),
            SplitList(d.BridgePorts), d.BridgeVlanAware ?? false, Empty(d.BridgeVids), SplitList(d.Slaves), Empty(d.BondMode),
            Empty(d.VlanRawDevice), d.VlanId, d.Mtu, Empty(d.Comments), d.Priority, d.Families ?? [])
        {
            BridgeStp = Empty(d.BridgeStp),
            BridgeFd = int.TryParse(d.BridgeFd, NumberStyles.Integer, CultureInfo.InvariantCulture, out var fd) ? fd : null,
        };

    /// <summary>rrddata rows: "time" plus any numeric metric; absent/null/non-numeric values are left out.</summary>
    public static IReadOnlyList<RrdPoint> ToRrd(JsonElement data)
    {
        var points = new List<RrdPoint>();
        if (data.ValueKind != JsonValueKind.Array) return points;
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object) continue;
            long? time = null;
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var p in row.EnumerateObject())
            {
                if (!double.TryParse(PveJson.ScalarText(p.Value), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) continue;
                if (p.NameEquals("time")) time = (long)v;
                else values[p.Name] = v;
            }
            if (time is { } t) points.Add(new RrdPoint(DateTimeOffset.FromUnixTimeSeconds(t), values));
        }
        points.Sort((a, b) => a.Time.CompareTo(b.Time));
        return points;
    }

    /// <summary>Object members as strings (numbers invariant, booleans 1/0; nested values as raw JSON).</summary>
    public static Dictionary<string, string> Properties(JsonElement data)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.ValueKind != JsonValueKind.Object) return result;
        foreach (var p in data.EnumerateObject())
            if (PveJson.ScalarText(p.Value) is { } v) result[p.Name] = v;
        return result;
    }

    /// <summary>PVE lists: "a,b", "a b" or "a;b".</summary>
    public static IReadOnlyList<string> SplitList(string? s) =>
        string.IsNullOrWhiteSpace(s) ? [] : s.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
