using System.Globalization;
using System.Text.Json.Serialization;
using Moxxie.Core.Bulk;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Tags.Expressions;

namespace Moxxie.Core.Scheduling;

/// <summary>One VM selector of a job (guide: <c>{"type":"TAG_EXPRESSION","value":"env-prod AND NOT always-on"}</c>).
/// A job's selectors are combined with AND and evaluated against the inventory at every run.</summary>
public sealed record JobSelector(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("value")] string? Value)
{
    public const string All = "ALL";
    /// <summary>Comma-separated VMIDs ("101, 102").</summary>
    public const string VmIds = "VM_IDS";
    /// <summary>Name glob, <c>*</c> and <c>?</c>, case-insensitive ("web-*").</summary>
    public const string NamePattern = "NAME_PATTERN";
    /// <summary>A tag expression (Moxxie.Core/Tags/Expressions).</summary>
    public const string TagExpression = "TAG_EXPRESSION";
    /// <summary>Comma-separated node names.</summary>
    public const string Node = "NODE";
    /// <summary>Comma-separated resource pool ids.</summary>
    public const string Pool = "POOL";

    public static IReadOnlyList<string> Types { get; } = [All, VmIds, NamePattern, TagExpression, Node, Pool];
}

/// <summary>A guest of one connection, as the selectors see it.</summary>
public sealed record SelectableVm(string Connection, GuestResource Guest);

/// <summary>Selectors checked and compiled once; <see cref="Matches"/> is the AND of them all. Templates are never
/// selected (they cannot be started, snapshotted or backed up like a VM).</summary>
public sealed class CompiledSelectors
{
    private readonly List<Func<SelectableVm, bool>> _predicates;

    private CompiledSelectors(List<Func<SelectableVm, bool>> predicates) => _predicates = predicates;

    public bool Matches(SelectableVm vm) => !vm.Guest.Template && _predicates.All(p => p(vm));

    public IReadOnlyList<SelectableVm> Select(IEnumerable<SelectableVm> vms) =>
        [.. vms.Where(Matches).OrderBy(v => v.Connection, StringComparer.Ordinal).ThenBy(v => v.Guest.VmId)];

    /// <summary>Checks every selector; errors keyed <c>vmSelectors[i].value</c> / <c>vmSelectors[i].type</c>.</summary>
    public static (CompiledSelectors? Compiled, Dictionary<string, string> Errors) Compile(IReadOnlyList<JobSelector>? selectors)
    {
        var errors = new Dictionary<string, string>();
        var predicates = new List<Func<SelectableVm, bool>>();
        if (selectors is null || selectors.Count == 0)
        {
            errors["vmSelectors"] = "Add at least one VM selector (ALL selects every VM).";
            return (null, errors);
        }
        for (var i = 0; i < selectors.Count; i++)
        {
            var s = selectors[i];
            var key = $"vmSelectors[{i}]";
            var type = (s.Type ?? "").Trim().ToUpperInvariant();
            var value = (s.Value ?? "").Trim();
            switch (type)
            {
                case JobSelector.All:
                    predicates.Add(_ => true);
                    break;
                case JobSelector.VmIds:
                    var ids = new HashSet<int>();
                    foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 100 || id > 999_999_999)
                        {
                            errors[$"{key}.value"] = $"'{part}' is not a VMID (100–999999999).";
                            break;
                        }
                        ids.Add(id);
                    }
                    if (ids.Count == 0 && !errors.ContainsKey($"{key}.value")) errors[$"{key}.value"] = "List one or more VMIDs, e.g. 101, 102.";
                    predicates.Add(v => ids.Contains(v.Guest.VmId));
                    break;
                case JobSelector.NamePattern:
                    if (value.Length == 0) { errors[$"{key}.value"] = "Enter a name pattern, e.g. web-*."; break; }
                    var regex = BulkRules.Glob(value);
                    predicates.Add(v => regex.IsMatch(v.Guest.Name));
                    break;
                case JobSelector.TagExpression:
                    if (!Tags.Expressions.TagExpression.TryParse(value, out var expression, out var error))
                    {
                        errors[$"{key}.value"] = error!.Message;
                        break;
                    }
                    var compiled = expression!.Compile();
                    predicates.Add(v => compiled.Matches(v.Guest.Tags));
                    break;
                case JobSelector.Node:
                case JobSelector.Pool:
                    var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    if (names.Count == 0) { errors[$"{key}.value"] = type == JobSelector.Node ? "Enter a node name." : "Enter a pool name."; break; }
                    predicates.Add(type == JobSelector.Node
                        ? v => names.Contains(v.Guest.Node)
                        : v => v.Guest.Pool is { } p && names.Contains(p));
                    break;
                default:
                    errors[$"{key}.type"] = $"Unknown selector type '{s.Type}'; use one of {string.Join(", ", JobSelector.Types)}.";
                    break;
            }
        }
        return errors.Count > 0 ? (null, errors) : (new CompiledSelectors(predicates), errors);
    }
}
