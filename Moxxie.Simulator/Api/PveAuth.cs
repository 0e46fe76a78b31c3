using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>
/// Authentication as pveproxy does it (NOTES.md §4, §5): ticket in the PVEAuthCookie cookie or an
/// "Authorization: PVEAuthCookie=" header (wins over a token), CSRFPreventionToken on non-GET ticket calls,
/// "Authorization: PVEAPIToken=user@realm!name=secret" (also with a space instead of '=') without CSRF.
/// </summary>
internal sealed class PveAuth(RSA signingKey, string tokenId, string tokenSecret, string rootPassword, TimeProvider time)
{
    private static readonly TimeSpan TicketLifetime = TimeSpan.FromHours(2);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly byte[] _csrfKey = RandomNumberGenerator.GetBytes(32);

    public string TokenId { get; } = tokenId;
    public string TokenSecret { get; } = tokenSecret;
    public string RootPassword { get; } = rootPassword;

    public const string NoTicket = "No ticket";
    public const string AuthenticationFailed = "Authentication failed!";
    public const string InvalidCsrf = "Permission denied - invalid csrf token";

    /// <summary>Authenticates a request; throws a 401 <see cref="PveError"/> as PVE would.</summary>
    public AuthIdentity Authenticate(HttpRequest request)
    {
        var ticket = ExtractTicket(request);
        if (ticket is not null)
        {
            var user = VerifyTicket(ticket) ?? throw new PveError(401, AuthenticationFailed);
            if (!HttpMethods.IsGet(request.Method))
            {
                var csrf = request.Headers["CSRFPreventionToken"].ToString();
                if (!VerifyCsrf(csrf, user)) throw new PveError(401, InvalidCsrf);
            }
            return new AuthIdentity(user, null, true);
        }

        var token = ExtractToken(request);
        if (token is not null)
        {
            var eq = token.LastIndexOf('=');
            if (eq <= 0) throw new PveError(401, AuthenticationFailed);
            var id = token[..eq];
            var secret = token[(eq + 1)..];
            var bang = id.IndexOf('!');
            if (bang <= 0 || !id[..bang].Contains('@')
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(TokenId))
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(TokenSecret)))
                throw new PveError(401, AuthenticationFailed);
            return new AuthIdentity(id[..bang], id[(bang + 1)..], false);
        }

        throw new PveError(401, NoTicket);
    }

    /// <summary>POST /access/ticket: password (or a still valid ticket) → new ticket; null = "authentication failure".</summary>
    public string? Login(string username, string password, string? realm)
    {
        var user = username.Contains('@') ? username : $"{username}@{realm ?? "pam"}";
        if (user != "root@pam") return null;
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(RootPassword)))
            return user;
        return password.StartsWith("PVE:", StringComparison.Ordinal) && VerifyTicket(password) == user ? user : null;
    }

    public string CreateTicket(string user)
    {
        var plain = $"PVE:{Uri.EscapeDataString(user).Replace("%40", "@", StringComparison.Ordinal)}:{Hex(Now)}";
        var sig = signingKey.SignData(Encoding.UTF8.GetBytes(plain), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{plain}::{Convert.ToBase64String(sig)}";
    }

    public string CreateCsrfToken(string user)
    {
        var stamp = Hex(Now);
        return $"{stamp}:{CsrfDigest(stamp, user)}";
    }

    private string? VerifyTicket(string ticket)
    {
        var sep = ticket.IndexOf("::", StringComparison.Ordinal);
        if (sep < 0) return null;
        var plain = ticket[..sep];
        var parts = plain.Split(':');
        if (parts.Length != 3 || parts[0] != "PVE" || !TryParseStamp(parts[2], out var stamp)) return null;
        byte[] sig;
        try { sig = Convert.FromBase64String(ticket[(sep + 2)..]); }
        catch (FormatException) { return null; }
        if (!signingKey.VerifyData(Encoding.UTF8.GetBytes(plain), sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            return null;
        return InWindow(stamp) ? Uri.UnescapeDataString(parts[1]) : null;
    }

    private bool VerifyCsrf(string token, string user)
    {
        var colon = token.IndexOf(':');
        if (colon != 8 || !TryParseStamp(token[..8], out var stamp) || !InWindow(stamp)) return false;
        var expected = CsrfDigest(token[..8], user);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token[9..]), Encoding.ASCII.GetBytes(expected));
    }

    private string CsrfDigest(string stamp, string user) =>
        Convert.ToBase64String(HMACSHA256.HashData(_csrfKey, Encoding.UTF8.GetBytes($"{stamp}:{user}"))).TrimEnd('=');

    private bool InWindow(long stamp)
    {
        var age = Now - DateTimeOffset.FromUnixTimeSeconds(stamp);
        return age >= -ClockSkew && age <= TicketLifetime;
    }

    private DateTimeOffset Now => time.GetUtcNow();

    private static string Hex(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString("X8", CultureInfo.InvariantCulture);

    private static bool TryParseStamp(string hex, out long stamp) =>
        long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out stamp) && hex.Length == 8;

    private static string? ExtractTicket(HttpRequest request)
    {
        if (request.Cookies.TryGetValue("PVEAuthCookie", out var cookie) && cookie.Length > 0)
            return Uri.UnescapeDataString(cookie);
        var auth = request.Headers.Authorization.ToString();
        const string prefix = "PVEAuthCookie=";
        var at = auth.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0 || (at > 0 && !char.IsWhiteSpace(auth[at - 1]))) return null;
        var value = auth[(at + prefix.Length)..];
        var semi = value.IndexOf(';');
        return Uri.UnescapeDataString(semi >= 0 ? value[..semi] : value);
    }

    /// <summary>PVEAPIToken at the start or after whitespace, then '=' or a space, up to ';', URI-unescaped.</summary>
    private static string? ExtractToken(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        const string name = "PVEAPIToken";
        var at = 0;
        while ((at = auth.IndexOf(name, at, StringComparison.Ordinal)) >= 0)
        {
            var after = at + name.Length;
            if ((at == 0 || char.IsWhiteSpace(auth[at - 1])) && after < auth.Length && auth[after] is '=' or ' ')
            {
                var value = auth[(after + 1)..];
                var semi = value.IndexOf(';');
                return Uri.UnescapeDataString((semi >= 0 ? value[..semi] : value).Trim());
            }
            at = after;
        }
        return null;
    }
}
