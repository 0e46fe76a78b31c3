using Microsoft.EntityFrameworkCore;
using Moxxie.Core.Audit;
using Moxxie.Core.Persistence;
using Moxxie.Core.Security;
using Moxxie.Core.Tags.Expressions;
using Moxxie.Core.Validation;

namespace Moxxie.Core.Tags;

/// <summary>Named tag expressions: each user's own plus the shared ones. Anyone signed in may save and delete their own;
/// shared ones are saved and deleted by Admins. Saving the same name again replaces the expression. Audited
/// (TAG_EXPRESSION_SAVE, TAG_EXPRESSION_DELETE).</summary>
public sealed class SavedTagExpressionService(IMoxxieDbFactory dbFactory, IAuditLog audit, TimeProvider time)
{
    public const int MaxNameLength = 100;
    public const int MaxExpressionLength = 2000;

    /// <summary>The actor's own and the shared expressions, by name (own first on a tie).</summary>
    public async Task<IReadOnlyList<SavedTagExpression>> ListAsync(Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateAsync(ct);
        var rows = await db.SavedTagExpressions.AsNoTracking()
            .Where(e => e.OwnerUserName == null || e.OwnerUserName == actor.UserName)
            .ToListAsync(ct);
        return [.. rows.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.OwnerUserName is null)];
    }

    /// <summary>Saves (or replaces) <paramref name="name"/>: the expression must parse (stored normalized). Throws
    /// <see cref="ValidationException"/> (fields name, expression) or <see cref="ForbiddenException"/> (shared, not Admin).</summary>
    public async Task<SavedTagExpression> SaveAsync(Actor actor, string? name, string? expression, bool shared, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var started = time.GetTimestamp();
        var errors = new Dictionary<string, string>();
        var cleanName = name?.Trim() ?? "";
        if (cleanName.Length == 0) errors["name"] = "A name is required.";
        else if (cleanName.Length > MaxNameLength) errors["name"] = $"At most {MaxNameLength} characters.";
        string? normalized = null;
        if (string.IsNullOrWhiteSpace(expression)) errors["expression"] = "An expression is required.";
        else if (expression.Length > MaxExpressionLength) errors["expression"] = $"At most {MaxExpressionLength} characters.";
        else if (!TagExpression.TryParse(expression, out var parsed, out var error)) errors["expression"] = error!.Message;
        else normalized = parsed!.ToString();
        if (errors.Count > 0) throw new ValidationException("The saved expression is invalid.", errors);
        if (shared && !actor.IsAdmin)
        {
            var message = $"{actor.UserName} may not save expressions for everyone (Admins only).";
            await AuditAsync(actor, "TAG_EXPRESSION_SAVE", cleanName, false, started, new { name = cleanName, expression = normalized, shared }, "Forbidden: " + message, ct);
            throw new ForbiddenException(message);
        }

        var owner = shared ? null : actor.UserName;
        SavedTagExpression row;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            var existing = await db.SavedTagExpressions.Where(e => e.OwnerUserName == owner).ToListAsync(ct);
            row = existing.FirstOrDefault(e => string.Equals(e.Name, cleanName, StringComparison.OrdinalIgnoreCase))
                ?? db.SavedTagExpressions.Add(new SavedTagExpression { Name = cleanName, Expression = normalized!, CreatedBy = actor.UserName }).Entity;
            row.Name = cleanName;
            row.Expression = normalized!;
            row.OwnerUserName = owner;
            row.CreatedAt = time.GetUtcNow();
            row.CreatedBy = actor.UserName;
            await db.SaveChangesAsync(ct);
        }
        await AuditAsync(actor, "TAG_EXPRESSION_SAVE", row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), true, started,
            new { name = cleanName, expression = normalized, shared }, null, ct);
        return row;
    }

    /// <summary>Deletes one of the actor's own expressions, or a shared one (Admins). False when there is no such
    /// expression for this actor; <see cref="ForbiddenException"/> for a shared one and a non-Admin.</summary>
    public async Task<bool> DeleteAsync(Actor actor, long id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var started = time.GetTimestamp();
        var resource = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SavedTagExpression? row;
        await using (var db = await dbFactory.CreateAsync(ct))
        {
            row = await db.SavedTagExpressions.FirstOrDefaultAsync(e => e.Id == id && (e.OwnerUserName == null || e.OwnerUserName == actor.UserName), ct);
            if (row is null) return false;
            if (row.OwnerUserName is null && !actor.IsAdmin)
            {
                var message = $"{actor.UserName} may not delete '{row.Name}', which is shared with everyone (Admins only).";
                await AuditAsync(actor, "TAG_EXPRESSION_DELETE", resource, false, started, new { name = row.Name, expression = row.Expression, shared = true },
                    "Forbidden: " + message, ct);
                throw new ForbiddenException(message);
            }
            db.SavedTagExpressions.Remove(row);
            await db.SaveChangesAsync(ct);
        }
        await AuditAsync(actor, "TAG_EXPRESSION_DELETE", resource, true, started,
            new { name = row.Name, expression = row.Expression, shared = row.OwnerUserName is null }, null, ct);
        return true;
    }

    private Task AuditAsync(Actor actor, string operation, string resourceId, bool success, long started, object details, string? error, CancellationToken ct) =>
        audit.WriteAsync(new AuditRecord(actor, operation, "TAG_EXPRESSION", resourceId, success, time.GetElapsedTime(started), Details: details, Error: error), ct);
}
