namespace Moxxie.Core.Proxmox;

/// <summary>QEMU guest agent queries (added for the VM detail page's guest IPs).</summary>
public partial interface IProxmoxGateway
{
    /// <summary>GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces: the guest's interfaces and addresses as its agent
    /// reports them. PVE answers 500 when the agent is not configured or not running.</summary>
    Task<IReadOnlyList<GuestAgentInterface>> GetAgentInterfacesAsync(string node, int vmId, CancellationToken ct);
}

/// <summary>One interface the guest agent reports, with its addresses ("192.168.1.50/24", "fe80::1/64").</summary>
public sealed record GuestAgentInterface(string Name, string? MacAddress, IReadOnlyList<string> Addresses)
{
    public bool IsLoopback => Name == "lo" || Name.StartsWith("Loopback", StringComparison.OrdinalIgnoreCase);
}
