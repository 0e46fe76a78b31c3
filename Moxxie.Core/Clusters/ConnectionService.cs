using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Clusters;

/// <summary>Settings → Proxmox connections (Admin only): list, test, add/edit, remove. Secrets are encrypted with
/// ISecretProtector before they reach the database and are never returned. Every change is audited
/// (CONNECTION_CREATE / CONNECTION_UPDATE / CONNECTION_DELETE) and reloads IProxmoxConnections.</summary>
public sealed class ConnectionService(
    IMoxxieDbFactory dbFactory,
    ISecretProtector protector,
    IProxmoxConnections connections,
    IProxmoxConnectionTester tester,
    IAuditLog audit,
    TimeProvider time)
{
    public IReadOnlyList<ConnectionInfo> List() => connections.All;

    /// <summary>Admin only (ForbiddenException otherwise). For a stored connection tested without a secret (edit form with
    /// the secret left blank) the stored secret is used.</summary>
    public async Task<ConnectionTestResult> TestAsync(Actor actor, ProxmoxConnectionSettings settings, CancellationToken ct)
    {
        RequireAdmin(actor, "test Proxmox connections");
        ArgumentNullException.ThrowIfNull(settings);
        var errors = ConnectionRules.Validate(settings, secretRequired: false);
        errors.Remove("name"); // a connection can be tested before it is named
        if (errors.Count > 0) throw new ValidationException("The connection settings are not valid.", errors);

        if (string.IsNullOrEmpty(settings.TokenSecret) && string.IsNullOrWhiteSpace(settings.Username) && !string.IsNullOrWhiteSpace(settings.Name))
        {
            await using var db = await dbFactory.CreateAsync(ct);
            var stored = await db.ProxmoxConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Name == settings.Name, ct);
            if (stored?.ProtectedTokenSecret is { } protectedSecret)
                settings = settings with { TokenSecret = protector.Unprotect(protectedSecret) };
        }
        return await tester.TestAsync(settings, ct);
    }

    /// <summary>Adds (originalName null) or edits a database-stored connection. On edit a null/empty TokenSecret keeps the
    /// stored one. Validation (name pattern, https URL, token id user@realm!name, fingerprint format, unique name) throws
    /// Validation.ValidationException with per-field errors; configuration-sourced connections cannot be edited.</summary>
    public async Task SaveAsync(Actor actor, string? originalName, ProxmoxConnectionSettings settings, CancellationToken ct)
    {
        RequireAdmin(actor, "change Proxmox connections");
        ArgumentNullException.ThrowIfNull(settings);
        var started = time.GetTimestamp();
        var editing = !string.IsNullOrWhiteSpace(originalName);

        var errors = ConnectionRules.Validate(settings, secretRequired: !editing);
        if (!string.IsNullOrWhiteSpace(settings.Username))
            errors["username"] = "Stored connections use an API token; ticket (username/password) login is only available through configuration.";

        var existing = connections.All.FirstOrDefault(c => string.Equals(c.Name, settings.Name, StringComparison.OrdinalIgnoreCase));
        if (existing is not null && !(editing && string.Equals(existing.Name, originalName, StringComparison.OrdinalIgnoreCase)))
            errors["name"] = $"A connection named '{existing.Name}' already exists.";
        if (editing && connections.All.FirstOrDefault(c => string.Equals(c.Name, originalName, StringComparison.OrdinalIgnoreCase)) is { Source: not ConnectionSource.Database } fixedOne)
            errors["name"] = $"Connection '{fixedOne.Name}' comes from {(fixedOne.Source == ConnectionSource.Demo ? "demo mode" : "configuration")} and cannot be edited here.";
        if (errors.Count > 0) throw new ValidationException("The connection settings are not valid.", errors);

        var now = time.GetUtcNow();
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            ProxmoxConnectionEntity entity;
            if (editing)
            {
                entity = await db.ProxmoxConnections.FirstOrDefaultAsync(c => c.Name == originalName, ct)
                    ?? throw new KeyNotFoundException($"Connection '{originalName}' not found.");
            }
            else
            {
                if (await db.ProxmoxConnections.AnyAsync(c => c.Name == settings.Name, ct))
                    throw ValidationException.For("name", $"A connection named '{settings.Name}' already exists.");
                entity = new ProxmoxConnectionEntity { Name = settings.Name, Url = settings.Url.ToString(), CreatedAt = now };
                db.ProxmoxConnections.Add(entity);
            }
            entity.Name = settings.Name;
            entity.Url = settings.Url.ToString();
            entity.TokenId = settings.TokenId?.Trim();
            if (!string.IsNullOrEmpty(settings.TokenSecret)) entity.ProtectedTokenSecret = protector.Protect(settings.TokenSecret.Trim());
            entity.Fingerprint = ConnectionRules.NormalizeFingerprint(settings.Fingerprint);
            entity.InsecureSkipVerify = settings.InsecureSkipVerify;
            entity.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }

        await audit.WriteAsync(new AuditRecord(actor, editing ? "CONNECTION_UPDATE" : "CONNECTION_CREATE", "CONNECTION", settings.Name, true,
            time.GetElapsedTime(started), Connection: settings.Name, Details: new
            {
                name = settings.Name,
                previousName = editing ? originalName : null,
                url = settings.Url.ToString(),
                tokenId = settings.TokenId,
                fingerprint = ConnectionRules.NormalizeFingerprint(settings.Fingerprint),
                insecureSkipVerify = settings.InsecureSkipVerify,
                secretChanged = !string.IsNullOrEmpty(settings.TokenSecret),
            }), CancellationToken.None);
        await connections.ReloadAsync(ct);
    }

    public async Task DeleteAsync(Actor actor, string name, CancellationToken ct)
    {
        RequireAdmin(actor, "remove Proxmox connections");
        var started = time.GetTimestamp();
        var info = connections.All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        if (info is { Source: not ConnectionSource.Database })
            throw ValidationException.For("name", $"Connection '{info.Name}' comes from {(info.Source == ConnectionSource.Demo ? "demo mode" : "configuration")} and cannot be removed here.");

        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var entity = await db.ProxmoxConnections.FirstOrDefaultAsync(c => c.Name == name, ct)
                ?? throw new KeyNotFoundException($"Connection '{name}' not found.");
            db.ProxmoxConnections.Remove(entity);
            await db.SaveChangesAsync(ct);
        }
        await audit.WriteAsync(new AuditRecord(actor, "CONNECTION_DELETE", "CONNECTION", name, true, time.GetElapsedTime(started),
            Connection: name, Details: new { name }), CancellationToken.None);
        await connections.ReloadAsync(ct);
    }

    private static void RequireAdmin(Actor actor, string what)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin) throw new ForbiddenException($"Only administrators may {what}.");
    }
}
