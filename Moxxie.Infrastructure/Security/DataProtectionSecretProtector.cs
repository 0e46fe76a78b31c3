using Microsoft.AspNetCore.DataProtection;
using Moxxie.Core.Security;

namespace Moxxie.Infrastructure.Security;

/// <summary>Encrypts PVE token secrets with ASP.NET Data Protection (keys kept in the database).</summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    public const string Purpose = "Moxxie.ProxmoxTokenSecret";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
