namespace Moxxie.Simulator.Model;

/// <summary>Per-node infrastructure state: network (active and pending /etc/network/interfaces.new) and services.</summary>
internal sealed class SimNodeInfra
{
    public required string Node { get; init; }
    public List<SimNetworkInterface> Network { get; set; } = [];
    public List<SimNetworkInterface>? PendingNetwork { get; set; }
    public DateTimeOffset NetworkWritten { get; set; }
    public DateTimeOffset? PendingWritten { get; set; }
    public List<SimService> Services { get; } = [];
}

/// <summary>A systemd unit as /nodes/{node}/services shows it.</summary>
internal sealed class SimService
{
    public required string Service { get; init; }
    public required string Desc { get; init; }
    public string State { get; set; } = "running";         // running | dead | exited | failed
    public string ActiveState { get; set; } = "active";    // active | inactive | failed
    public string UnitState { get; set; } = "enabled";     // enabled | disabled | not-found | static | masked
}
