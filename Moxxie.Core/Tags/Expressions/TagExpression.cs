namespace Moxxie.Core.Tags.Expressions;

/// <summary>
/// A tag expression selecting VMs by their PVE tags: <c>env-prod AND NOT always-on</c>, <c>(env-prod OR env-staging) AND client-*</c>.
/// <para>Grammar (precedence NOT &gt; AND &gt; OR; operators case-insensitive; parentheses group):</para>
/// <code>
/// or      := and ("OR" and)*
/// and     := unary ("AND" unary)*
/// unary   := "NOT" unary | primary
/// primary := TAG | "(" or ")"
/// </code>
/// A TAG is a PVE tag name (<c>[a-z0-9_][a-z0-9_+.-]*</c>, case-insensitive) in which <c>*</c> stands for any run of
/// characters (<c>client-*</c>, <c>*-tier</c>, <c>k8s-*-prod</c>, <c>*</c> = has any tag). The words <c>and</c>, <c>or</c>
/// and <c>not</c> are operators, so tags with those exact names cannot be written.
/// <para>The tree is canonical: AND and OR are n-ary and never hold an operand of their own kind (the factory methods
/// flatten), so <c>(a OR b) OR c</c> and <c>a OR (b OR c)</c> are the same value, <c>a OR b OR c</c>. Equality is
/// structural; <see cref="ToString"/> prints the normalized text with the fewest parentheses, and
/// <c>Parse(e.ToString()) == e</c> for every expression.</para>
/// </summary>
public abstract record TagExpression
{
    /// <summary>Deepest nesting of parentheses and NOTs the parser accepts (guards the stack against <c>((((…</c>).</summary>
    public const int MaxDepth = 100;

    private protected TagExpression() { }

    /// <summary>Binding strength when printed: OR 1, AND 2, NOT 3, tag 4.</summary>
    internal abstract int Precedence { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="TagExpressionParseException"/> with the 0-based
    /// position of the problem and what was expected there.</summary>
    public static TagExpression Parse(string text) => TagExpressionParser.Parse(text);

    /// <summary>Parses <paramref name="text"/>, or returns false with the error.</summary>
    public static bool TryParse(string text, out TagExpression? expression, out TagExpressionParseException? error)
    {
        try
        {
            expression = Parse(text);
            error = null;
            return true;
        }
        catch (TagExpressionParseException ex)
        {
            expression = null;
            error = ex;
            return false;
        }
    }

    /// <summary>A tag or tag pattern (lower-cased; runs of <c>*</c> collapsed). Throws <see cref="ArgumentException"/>
    /// when it is not a valid tag pattern.</summary>
    public static TagExpression Tag(string pattern) => new TagTerm(pattern);

    public static TagExpression Not(TagExpression operand) => new NotExpression(operand);

    /// <summary>All operands (nested ANDs flattened); a single operand is returned as is.</summary>
    public static TagExpression And(params IEnumerable<TagExpression> operands) => Combine(operands, isAnd: true);

    /// <summary>Any operand (nested ORs flattened); a single operand is returned as is.</summary>
    public static TagExpression Or(params IEnumerable<TagExpression> operands) => Combine(operands, isAnd: false);

    /// <summary>The distinct tag patterns the expression mentions, in order of first appearance.</summary>
    public IReadOnlyList<string> Tags()
    {
        var seen = new List<string>();
        Collect(this, seen);
        return seen;

        static void Collect(TagExpression e, List<string> seen)
        {
            switch (e)
            {
                case TagTerm t:
                    if (!seen.Contains(t.Pattern, StringComparer.Ordinal)) seen.Add(t.Pattern);
                    break;
                case NotExpression n:
                    Collect(n.Operand, seen);
                    break;
                case AndExpression a:
                    foreach (var o in a.Operands) Collect(o, seen);
                    break;
                case OrExpression o:
                    foreach (var x in o.Operands) Collect(x, seen);
                    break;
            }
        }
    }

    /// <summary>A predicate over a VM's tags, built once (wildcards pre-split; no regex, no allocation per call).</summary>
    public CompiledTagExpression Compile() => CompiledTagExpression.From(this);

    /// <summary>The normalized text: operators upper case, tags lower case, single spaces, fewest parentheses.</summary>
    public sealed override string ToString() => TagExpressionPrinter.Print(this);

    private static TagExpression Combine(IEnumerable<TagExpression> operands, bool isAnd)
    {
        ArgumentNullException.ThrowIfNull(operands);
        var flat = new List<TagExpression>();
        foreach (var operand in operands)
        {
            ArgumentNullException.ThrowIfNull(operand);
            switch (operand)
            {
                case AndExpression a when isAnd: flat.AddRange(a.Operands); break;
                case OrExpression o when !isAnd: flat.AddRange(o.Operands); break;
                default: flat.Add(operand); break;
            }
        }
        return flat.Count switch
        {
            0 => throw new ArgumentException("At least one operand is needed.", nameof(operands)),
            1 => flat[0],
            _ => isAnd ? new AndExpression(flat) : new OrExpression(flat),
        };
    }
}
