namespace Moxxie.Infrastructure.Proxmox;

/// <summary>Configuration section Moxxie:Proxmox.</summary>
public sealed class ProxmoxOptions
{
    public const string Section = "Moxxie:Proxmox";

    public List<ProxmoxConnectionOptions> Connections { get; set; } = [];

    /// <summary>Per-attempt timeout of a PVE call.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries of GET calls after transport failures (POST/PUT/DELETE are never retried).</summary>
    public int ReadRetries { get; set; } = 2;

    /// <summary>A ticket is renewed when older than this (PVE tickets live 2 h).</summary>
    public TimeSpan TicketRenewAfter { get; set; } = TimeSpan.FromMinutes(90);
}

/// <summary>One configured connection (Moxxie:Proxmox:Connections:N). API token (TokenId + TokenSecret) or ticket login
/// (Username + Password). Fingerprint pins the SHA-256 of PVE's certificate; InsecureSkipVerify accepts any (labs).</summary>
public sealed class ProxmoxConnectionOptions
{
    public string? Name { get; set; }
    public string? Url { get; set; }
    public string? TokenId { get; set; }
    public string? TokenSecret { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? Fingerprint { get; set; }
    public bool InsecureSkipVerify { get; set; }

    /// <summary>Set by demo mode for the in-process simulator (shown as source "Demo", not editable).</summary>
    public bool Demo { get; set; }
}
