namespace Moxxie.Core.Tags.Expressions;

/// <summary>
/// The visual builder's editable tree: a group (AND or OR over its children) or a tag condition, either of them
/// negatable. <see cref="From"/> turns any expression into a tree whose root is a group, and <see cref="ToExpression"/>
/// gives the expression back (<c>From(e).ToExpression() == e</c>); empty conditions and empty groups are left out.
/// </summary>
public sealed class TagQueryNode
{
    private TagQueryNode(bool isGroup) => IsGroup = isGroup;

    public bool IsGroup { get; }

    /// <summary>For a group: OR over the children instead of AND.</summary>
    public bool IsOr { get; set; }

    /// <summary>NOT in front of the condition or group.</summary>
    public bool Negated { get; set; }

    /// <summary>For a condition: the tag or pattern as typed (may be empty or invalid while being edited).</summary>
    public string Pattern { get; set; } = "";

    public List<TagQueryNode> Children { get; } = [];

    public static TagQueryNode Group(bool isOr = false, bool negated = false, params IEnumerable<TagQueryNode> children)
    {
        var group = new TagQueryNode(true) { IsOr = isOr, Negated = negated };
        group.Children.AddRange(children);
        return group;
    }

    public static TagQueryNode Condition(string pattern, bool negated = false) => new(false) { Pattern = pattern, Negated = negated };

    /// <summary>An empty root group, or the tree of <paramref name="expression"/> (root always a non-negated group).</summary>
    public static TagQueryNode From(TagExpression? expression)
    {
        if (expression is null) return Group();
        var node = Build(expression);
        return node.IsGroup && !node.Negated ? node : Group(false, false, node);
    }

    /// <summary>The expression of the tree, or null when it holds no condition yet. Throws <see cref="ArgumentException"/>
    /// for a condition whose pattern is not a valid tag pattern (see <see cref="Problems"/>).</summary>
    public TagExpression? ToExpression()
    {
        if (!IsGroup)
        {
            if (string.IsNullOrWhiteSpace(Pattern)) return null;
            var tag = TagExpression.Tag(Pattern.Trim());
            return Negated ? TagExpression.Not(tag) : tag;
        }
        var operands = Children.Select(c => c.ToExpression()).OfType<TagExpression>().ToList();
        if (operands.Count == 0) return null;
        var combined = IsOr ? TagExpression.Or(operands) : TagExpression.And(operands);
        return Negated ? TagExpression.Not(combined) : combined;
    }

    /// <summary>Conditions whose pattern is not a valid tag pattern, with the reason (empty ones are not problems).</summary>
    public IEnumerable<(TagQueryNode Node, string Message)> Problems()
    {
        if (!IsGroup)
        {
            if (!string.IsNullOrWhiteSpace(Pattern) && TagPatternRules.Check(Pattern.Trim()) is { } p)
                yield return (this, $"'{Pattern.Trim()}': {p.Message}");
            yield break;
        }
        foreach (var child in Children)
            foreach (var problem in child.Problems())
                yield return problem;
    }

    private static TagQueryNode Build(TagExpression e)
    {
        switch (e)
        {
            case TagTerm t:
                return Condition(t.Pattern);
            case NotExpression n:
                var inner = Build(n.Operand);
                if (!inner.Negated)
                {
                    inner.Negated = true;
                    return inner;
                }
                return Group(false, true, inner);
            case AndExpression a:
                return Group(false, false, a.Operands.Select(Build));
            case OrExpression o:
                return Group(true, false, o.Operands.Select(Build));
            default:
                throw new ArgumentException($"Unknown expression node {e.GetType().Name}.", nameof(e));
        }
    }
}
