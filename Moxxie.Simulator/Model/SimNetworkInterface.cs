namespace Moxxie.Simulator.Model;

/// <summary>
/// One stanza of /etc/network/interfaces as PVE's API shows it: the interface name, its type and the other properties
/// with their JSON values (strings, 0/1 integers, arrays). Copied when pending changes start.
/// </summary>
internal sealed class SimNetworkInterface
{
    public required string Iface { get; init; }
    public required string Type { get; set; }
    public SortedDictionary<string, object> Props { get; init; } = new(StringComparer.Ordinal);

    public SimNetworkInterface Clone() => new() { Iface = Iface, Type = Type, Props = new(Props, StringComparer.Ordinal) };
}
