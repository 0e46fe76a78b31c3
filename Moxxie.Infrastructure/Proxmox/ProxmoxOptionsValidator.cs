using Microsoft.Extensions.Options;
using Moxxie.Core.Clusters;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>Start-up validation of Moxxie:Proxmox; every message names the configuration key, e.g.
/// "Moxxie:Proxmox:Connections:0:Url must be an absolute https URL".</summary>
public sealed class ProxmoxOptionsValidator : IValidateOptions<ProxmoxOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxmoxOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Errors(ProxmoxOptions options)
    {
        var errors = new List<string>();
        if (options.Timeout <= TimeSpan.Zero) errors.Add($"{ProxmoxOptions.Section}:Timeout must be positive");
        if (options.ReadRetries is < 0 or > 10) errors.Add($"{ProxmoxOptions.Section}:ReadRetries must be between 0 and 10");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Connections.Count; i++)
        {
            var c = options.Connections[i];
            var key = $"{ProxmoxOptions.Section}:Connections:{i}";
            void Add(string field, string? error)
            {
                if (error is not null) errors.Add($"{key}:{field} {error}");
            }
            Add("Name", ConnectionRules.Name(c.Name));
            if (c.Name is not null && !names.Add(c.Name)) errors.Add($"{key}:Name '{c.Name}' is used by another connection");
            Add("Url", ConnectionRules.Url(c.Url));
            Add("Fingerprint", ConnectionRules.Fingerprint(c.Fingerprint));
            if (!string.IsNullOrWhiteSpace(c.Username))
            {
                if (!c.Username.Contains('@', StringComparison.Ordinal)) errors.Add($"{key}:Username must look like user@realm");
                if (string.IsNullOrEmpty(c.Password)) errors.Add($"{key}:Password is required with Username");
            }
            else
            {
                Add("TokenId", ConnectionRules.TokenId(c.TokenId));
                if (string.IsNullOrWhiteSpace(c.TokenSecret)) errors.Add($"{key}:TokenSecret is required (or set Username and Password for ticket login)");
            }
        }
        return errors;
    }
}
