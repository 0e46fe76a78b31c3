using System.Globalization;
using Moxxie.Core.Proxmox;

namespace Moxxie.Core.Network;

/// <summary>Interface types and display rules of node networks (the values PVE's GET /nodes/{node}/network knows).</summary>
public static class NetworkInterfaceTypes
{
    /// <summary>The <c>type</c> filter PVE accepts on GET /nodes/{node}/network.</summary>
    public static IReadOnlyList<string> Filters { get; } =
        ["bridge", "bond", "eth", "alias", "vlan", "fabric", "OVSBridge", "OVSBond", "OVSPort", "OVSIntPort", "vnet", "any_bridge", "any_local_bridge"];

    public static bool IsFilter(string type) => Filters.Contains(type, StringComparer.Ordinal);

    /// <summary>Whether an interface passes PVE's type filter (any_bridge: Linux and OVS bridges; any_local_bridge the same here).</summary>
    public static bool Matches(NetworkInterface iface, string? filter) => filter switch
    {
        null or "" => true,
        "any_bridge" or "any_local_bridge" => iface.Type is "bridge" or "OVSBridge",
        _ => string.Equals(iface.Type, filter, StringComparison.Ordinal),
    };

    public static string Label(string type) => type switch
    {
        "eth" => "Network device",
        "bridge" => "Linux bridge",
        "bond" => "Linux bond",
        "vlan" => "Linux VLAN",
        "alias" => "Alias",
        "OVSBridge" => "OVS bridge",
        "OVSBond" => "OVS bond",
        "OVSPort" => "OVS port",
        "OVSIntPort" => "OVS internal port",
        "vnet" => "SDN VNet",
        "fabric" => "SDN fabric",
        _ => type,
    };

    /// <summary>The IPv4 netmask in dotted form: PVE answers "24" or "255.255.255.0" depending on version; the guide shows the latter.</summary>
    public static string? DottedNetmask(string? netmask)
    {
        if (string.IsNullOrWhiteSpace(netmask)) return null;
        if (!int.TryParse(netmask, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)) return netmask;
        if (prefix is < 0 or > 32) return netmask;
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return string.Join('.', new[] { mask >> 24, (mask >> 16) & 255, (mask >> 8) & 255, mask & 255 }.Select(b => b.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>"192.168.1.10/24" from cidr, or address + netmask (prefix or dotted).</summary>
    public static string? Cidr(NetworkInterface i)
    {
        if (!string.IsNullOrEmpty(i.Cidr)) return i.Cidr;
        if (string.IsNullOrEmpty(i.Address)) return null;
        if (string.IsNullOrEmpty(i.Netmask)) return i.Address;
        if (int.TryParse(i.Netmask, NumberStyles.None, CultureInfo.InvariantCulture, out var p)) return $"{i.Address}/{p}";
        var parts = i.Netmask.Split('.');
        if (parts.Length == 4 && parts.All(x => byte.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var bits = parts.Sum(x => System.Numerics.BitOperations.PopCount(byte.Parse(x, CultureInfo.InvariantCulture)));
            return $"{i.Address}/{bits}";
        }
        return i.Address;
    }
}
