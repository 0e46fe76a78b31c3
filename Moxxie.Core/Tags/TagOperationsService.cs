using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moxxie.Core.Audit;
using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Tags.Expressions;
using Moxxie.Core.Validation;
using Moxxie.Core.Vms;

namespace Moxxie.Core.Tags;

/// <summary>Add or remove tags.</summary>
public enum TagAction { Add, Remove }

/// <summary>Which VMs a bulk tag operation touches: exactly one of a VMID list, a name pattern (<c>web-*</c>, <c>?</c> for
/// one character, case-insensitive) or a tag expression (<c>env-prod AND NOT always-on</c>). Connection narrows it.</summary>
public sealed record TagSelection(IReadOnlyList<int>? VmIds = null, string? NamePattern = null, string? Expression = null, string? Connection = null);

/// <summary>One VM's outcome: the tags PVE held before and holds after (read back), or PVE's message when it refused.</summary>
public sealed record TagChangeResult(
    int VmId, string Name, string? Connection, string? Node, bool Success, bool Changed,
    IReadOnlyList<string> PreviousTags, IReadOnlyList<string> CurrentTags, string? Error);

/// <summary>What a selection would touch, read from the inventory (nothing written): the VMs, and VMIDs not found.</summary>
public sealed record TagSelectionPreview(IReadOnlyList<VmView> Vms, IReadOnlyList<int> Unknown);

/// <summary>A bulk tag operation: how many VMs were selected, how many had their tags changed, and each VM's result.</summary>
public sealed record TagBulkResult(int TotalVms, int Modified, int Failed, IReadOnlyList<TagChangeResult> Results);

/// <summary>Bulk add/remove of tags to VMs chosen by VMID list, name pattern or tag expression; renaming a tag and deleting
/// it from every VM that has it. Each VM's <c>tags</c> is written with PUT …/config (QEMU and LXC) with the digest PVE
/// gave, then read back; a VM PVE refuses is reported with PVE's message and the others go on. Every VM's change (or
/// refusal) is audited (TAG_ADD, TAG_REMOVE, TAG_RENAME, TAG_DELETE on the VM). Viewers are refused. PUT …/config starts
/// no task, so after a change each touched connection's inventory is asked to refresh at once (the VM list shows the new
/// tags within about a second instead of at the next poll).</summary>
public sealed class TagOperationsService(
    VmService vms,
    IProxmoxConnections connections,
    IAuditLog audit,
    TimeProvider time,
    TagCatalogService catalog,
    IInventoryRefreshSignal? refresh = null,
    ILogger<TagOperationsService>? logger = null)
{
    /// <summary>How many VMs are written at once.</summary>
    public const int Parallelism = 4;

    private readonly ILogger _logger = logger ?? NullLogger<TagOperationsService>.Instance;

    /// <summary>Null when <paramref name="tag"/> is a tag PVE accepts; otherwise why not.</summary>
    public static string? TagError(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return "A tag cannot be empty.";
        var t = tag.Trim();
        if (t.Contains('*', StringComparison.Ordinal)) return $"'{t}': a tag cannot contain '*'.";
        if (t.Length > 128) return $"'{t}': at most 128 characters.";
        return TagPatternRules.Check(t) is { } e && !e.Message.Contains("operator", StringComparison.Ordinal)
            ? $"'{t}': {e.Message} (a tag starts with a letter, digit or '_', then letters, digits, '_', '-', '+', '.')."
            : null;
    }

    /// <summary>Adds or removes <paramref name="tags"/> on every selected VM.</summary>
    public async Task<TagBulkResult> BulkAsync(Actor actor, TagSelection selection, TagAction action, IReadOnlyList<string>? tags, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var operation = action == TagAction.Add ? "TAG_ADD" : "TAG_REMOVE";
        await RequireOperatorAsync(actor, operation, string.Join(',', tags ?? []));

        var errors = new Dictionary<string, string>();
        var wanted = CheckTags(tags, "tags", errors);
        var targets = Select(selection, errors);
        if (errors.Count > 0) throw new ValidationException("Tags were not changed: " + string.Join(" ", errors.Values), errors);

        Func<IReadOnlyList<string>, IReadOnlyList<string>> change = action == TagAction.Add
            ? current => [.. current, .. wanted.Where(w => !current.Contains(w, StringComparer.OrdinalIgnoreCase))]
            : current => [.. current.Where(c => !wanted.Contains(c, StringComparer.OrdinalIgnoreCase))];
        return await ApplyAsync(actor, operation, targets, change, new { action = action.ToString().ToUpperInvariant(), tags = wanted }, ct);
    }

    /// <summary>Renames tag <paramref name="name"/> to <paramref name="newName"/> on every VM that has it.</summary>
    public async Task<TagBulkResult> RenameAsync(Actor actor, string name, string? newName, CancellationToken ct)
    {
        await RequireOperatorAsync(actor, "TAG_RENAME", name);
        var errors = new Dictionary<string, string>();
        if (TagError(name) is { } n) errors["name"] = n;
        if (TagError(newName) is { } m) errors["newName"] = m;
        else if (string.Equals(newName!.Trim(), (name ?? "").Trim(), StringComparison.OrdinalIgnoreCase)) errors["newName"] = "The new name is the current one.";
        if (errors.Count > 0) throw new ValidationException("The tag was not renamed: " + string.Join(" ", errors.Values), errors);

        var from = (name ?? "").Trim().ToLowerInvariant();
        var to = newName!.Trim().ToLowerInvariant();
        var targets = Having(from);
        var result = await ApplyAsync(actor, "TAG_RENAME", targets, current =>
        {
            var renamed = current.Select(t => string.Equals(t, from, StringComparison.OrdinalIgnoreCase) ? to : t);
            return [.. renamed.Distinct(StringComparer.OrdinalIgnoreCase)];
        }, new { tag = from, newName = to }, ct);
        if (result.Failed == 0) await catalog.MoveAsync(from, to, ct);
        return result;
    }

    /// <summary>Removes tag <paramref name="name"/> from every VM that has it.</summary>
    public async Task<TagBulkResult> DeleteAsync(Actor actor, string name, CancellationToken ct)
    {
        await RequireOperatorAsync(actor, "TAG_DELETE", name);
        if (TagError(name) is { } n) throw ValidationException.For("name", n);
        var tag = name.Trim().ToLowerInvariant();
        var result = await ApplyAsync(actor, "TAG_DELETE", Having(tag),
            current => [.. current.Where(t => !string.Equals(t, tag, StringComparison.OrdinalIgnoreCase))], new { tag }, ct);
        if (result.Failed == 0) await catalog.RemoveAsync(tag, ct);
        return result;
    }

    /// <summary>The VMs <paramref name="selection"/> chooses, without writing anything (the bulk form's preview).
    /// ValidationException as <see cref="BulkAsync"/> for a bad selection.</summary>
    public TagSelectionPreview Preview(TagSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var errors = new Dictionary<string, string>();
        var targets = Select(selection, errors);
        if (errors.Count > 0) throw new ValidationException("No VMs chosen: " + string.Join(" ", errors.Values), errors);
        return new TagSelectionPreview([.. targets.Where(t => t.Vm is not null).Select(t => t.Vm!)], [.. targets.Where(t => t.Vm is null).Select(t => t.VmId)]);
    }

    /// <summary>How many guests carry <paramref name="tag"/> (what a rename or delete would change).</summary>
    public int CountCarrying(string tag) => Having((tag ?? "").Trim().ToLowerInvariant()).Count;

    private static List<string> CheckTags(IReadOnlyList<string>? tags, string field, Dictionary<string, string> errors)
    {
        if (tags is null || tags.Count == 0)
        {
            errors[field] = "At least one tag is required.";
            return [];
        }
        var bad = tags.Select(TagError).Where(e => e is not null).ToList();
        if (bad.Count > 0) errors[field] = string.Join(" ", bad);
        return [.. tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
    }

    private List<Target> Select(TagSelection s, Dictionary<string, string> errors)
    {
        var given = (s.VmIds is not null ? 1 : 0) + (s.NamePattern is not null ? 1 : 0) + (s.Expression is not null ? 1 : 0);
        if (given != 1)
        {
            errors["selection"] = "Choose the VMs by exactly one of vmIds, namePattern or expression.";
            return [];
        }
        var connection = string.IsNullOrWhiteSpace(s.Connection) ? null : s.Connection.Trim();
        var all = vms.List(new VmFilter(Connection: connection));
        if (s.VmIds is { } ids)
        {
            if (ids.Count == 0) errors["vmIds"] = "At least one VMID is required.";
            foreach (var bad in ids.Where(i => i is < 100 or > 999_999_999).Take(1)) errors["vmIds"] = $"{bad} is not a VMID (100–999999999).";
            return [.. ids.Distinct().SelectMany(id => all.Where(v => v.VmId == id) is var found && found.Any()
                ? found.Select(v => new Target(id, v)) : [new Target(id, null)])];
        }
        if (s.NamePattern is { } pattern)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                errors["namePattern"] = "A name pattern such as web-* is required.";
                return [];
            }
            var regex = new Regex("^" + Regex.Escape(pattern.Trim()).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
            return [.. all.Where(v => regex.IsMatch(v.Name)).Select(v => new Target(v.VmId, v))];
        }
        if (!TagExpression.TryParse(s.Expression!, out var parsed, out var error))
        {
            errors["expression"] = error!.Message;
            return [];
        }
        var compiled = parsed!.Compile();
        return [.. all.Where(v => compiled.Matches(v.Guest.Tags)).Select(v => new Target(v.VmId, v))];
    }

    private List<Target> Having(string tag) =>
        [.. vms.List(new VmFilter()).Where(v => v.Guest.Tags.Contains(tag, StringComparer.OrdinalIgnoreCase)).Select(v => new Target(v.VmId, v))];

    private async Task<TagBulkResult> ApplyAsync(Actor actor, string operation, List<Target> targets,
        Func<IReadOnlyList<string>, IReadOnlyList<string>> change, object request, CancellationToken ct)
    {
        var results = new TagChangeResult[targets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, targets.Count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (i, token) => results[i] = await ApplyOneAsync(actor, operation, targets[i], change, request, token));
        foreach (var connection in results.Where(r => r.Changed && r.Connection is not null).Select(r => r.Connection!).Distinct(StringComparer.Ordinal))
            refresh?.RequestRefresh(connection);
        return new TagBulkResult(results.Length, results.Count(r => r.Success && r.Changed), results.Count(r => !r.Success), results);
    }

    private async Task<TagChangeResult> ApplyOneAsync(Actor actor, string operation, Target target,
        Func<IReadOnlyList<string>, IReadOnlyList<string>> change, object request, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var resourceId = target.VmId.ToString(CultureInfo.InvariantCulture);
        if (target.Vm is not { } vm)
        {
            var missing = $"VM {target.VmId} not found.";
            await WriteAuditAsync(new AuditRecord(actor, operation, "VM", resourceId, false, time.GetElapsedTime(started), Details: request, Error: missing));
            return new TagChangeResult(target.VmId, "", null, null, false, false, [], [], missing);
        }

        IReadOnlyList<string> previous = vm.Guest.Tags;
        try
        {
            var gateway = connections.Get(vm.Connection);
            var config = await gateway.GetGuestConfigDetailAsync(vm.Node, vm.VmId, vm.Guest.Type, false, ct);
            previous = config.Tags;
            var wanted = change(previous);
            if (wanted.SequenceEqual(previous, StringComparer.OrdinalIgnoreCase))
                return new TagChangeResult(vm.VmId, vm.Name, vm.Connection, vm.Node, true, false, previous, previous, null);

            var update = wanted.Count == 0
                ? new GuestConfigUpdate { Delete = ["tags"], Digest = config.Digest }
                : new GuestConfigUpdate { Tags = wanted, Digest = config.Digest };
            await gateway.UpdateGuestConfigAsync(vm.Node, vm.VmId, vm.Guest.Type, update, ct);
            var current = (await gateway.GetGuestConfigDetailAsync(vm.Node, vm.VmId, vm.Guest.Type, false, ct)).Tags;
            await WriteAuditAsync(new AuditRecord(actor, operation, "VM", resourceId, true, time.GetElapsedTime(started), vm.Node, vm.Connection,
                new { request, vmid = vm.VmId, name = vm.Name, previousTags = previous, currentTags = current }));
            return new TagChangeResult(vm.VmId, vm.Name, vm.Connection, vm.Node, true, true, previous, current, null);
        }
        catch (ProxmoxException ex)
        {
            await WriteAuditAsync(new AuditRecord(actor, operation, "VM", resourceId, false, time.GetElapsedTime(started), vm.Node, vm.Connection,
                new { request, vmid = vm.VmId, name = vm.Name, previousTags = previous }, ex.Message));
            return new TagChangeResult(vm.VmId, vm.Name, vm.Connection, vm.Node, false, false, previous, previous, ex.Message);
        }
    }

    private async Task RequireOperatorAsync(Actor actor, string operation, string? tag)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.CanOperate) return;
        var message = $"{actor.UserName} may not change tags (Viewer role).";
        await WriteAuditAsync(new AuditRecord(actor, operation, "TAG", tag, false, TimeSpan.Zero, Error: "Forbidden: " + message));
        throw new ForbiddenException(message);
    }

    private async Task WriteAuditAsync(AuditRecord record)
    {
        try
        {
            await audit.WriteAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not write audit row {Operation} for {ResourceType} {ResourceId}", record.Operation, record.ResourceType, record.ResourceId);
        }
    }

    private sealed record Target(int VmId, VmView? Vm);
}
