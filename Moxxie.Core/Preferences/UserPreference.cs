namespace Moxxie.Core.Preferences;

/// <summary>One remembered UI choice of one user (e.g. the VM list's visible columns), keyed by (user, key).</summary>
public sealed class UserPreference
{
    public required string UserId { get; set; }

    /// <summary>Dotted name, e.g. "vmlist.columns".</summary>
    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
