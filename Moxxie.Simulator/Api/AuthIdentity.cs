namespace Moxxie.Simulator.Api;

/// <summary>Who is calling: user@realm, the token name when authenticated by API token, and whether by ticket.</summary>
internal sealed record AuthIdentity(string UserId, string? TokenName, bool ByTicket)
{
    public static AuthIdentity Anonymous { get; } = new("", null, false);

    /// <summary>The user recorded in UPIDs: user@realm or user@realm!tokenid.</summary>
    public string TaskUser => TokenName is null ? UserId : $"{UserId}!{TokenName}";
}
