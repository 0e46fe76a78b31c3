namespace Moxxie.Core.Security;

/// <summary>Encrypts secrets (PVE token secrets) for storage at rest. Implemented with ASP.NET Data Protection.</summary>
public interface ISecretProtector
{
    string Protect(string plaintext);
    string Unprotect(string protectedText);
}
