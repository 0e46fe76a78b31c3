using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Moxxie.Core.Tags.Expressions;

/// <summary>
/// A tag expression turned into a tree of small matchers, built once and shared freely (immutable, thread-safe).
/// An exact tag is one case-insensitive ordinal comparison per VM tag; a wildcard pattern is split at its <c>*</c>s
/// up front into an anchored prefix, an anchored suffix and the pieces in between, matched left to right without regex
/// and without allocating. AND and OR stop at the first operand that decides.
/// </summary>
public sealed class CompiledTagExpression
{
    private readonly Node _root;

    private CompiledTagExpression(TagExpression expression, Node root)
    {
        Expression = expression;
        _root = root;
    }

    /// <summary>The expression this was compiled from.</summary>
    public TagExpression Expression { get; }

    public static CompiledTagExpression From(TagExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new CompiledTagExpression(expression, Build(expression));
    }

    /// <summary>True when a VM carrying <paramref name="tags"/> is selected (tags compared case-insensitively).</summary>
    /// <remarks>The evaluation methods are compiled fully optimised straight away (no tier-0 phase): they run once per
    /// VM per filter pass, and on a busy server the background re-JIT of a hot loop can lag for seconds.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags switch
        {
            string[] array => _root.Eval(array),
            List<string> list => _root.Eval(CollectionsMarshal.AsSpan(list)),
            _ => _root.Eval([.. tags]),
        };
    }

    /// <summary>True when a VM carrying <paramref name="tags"/> is selected.</summary>
    public bool Matches(ReadOnlySpan<string> tags) => _root.Eval(tags);

    public override string ToString() => Expression.ToString();

    private static Node Build(TagExpression e) => e switch
    {
        TagTerm t when !t.IsWildcard => new Exact(t.Pattern),
        TagTerm t when t.Pattern == "*" => new AnyTag(),
        TagTerm t => new Glob(t.Pattern),
        NotExpression n => new Not(Build(n.Operand)),
        AndExpression a => new And([.. a.Operands.Select(Build)]),
        OrExpression o => new Or([.. o.Operands.Select(Build)]),
        _ => throw new ArgumentException($"Unknown expression node {e.GetType().Name}.", nameof(e)),
    };

    private abstract class Node
    {
        public abstract bool Eval(ReadOnlySpan<string> tags);
    }

    private sealed class Exact(string tag) : Node
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool Eval(ReadOnlySpan<string> tags)
        {
            foreach (var t in tags)
                if (string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }

    private sealed class AnyTag : Node
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool Eval(ReadOnlySpan<string> tags) => !tags.IsEmpty;
    }

    /// <summary><c>prefix*middle*…*suffix</c>: prefix and suffix anchored, middles found in order between them (leftmost
    /// match is enough for <c>*</c>-only globs).</summary>
    private sealed class Glob : Node
    {
        private readonly string _prefix;
        private readonly string _suffix;
        private readonly string[] _middles;
        private readonly int _minLength;

        public Glob(string pattern)
        {
            var parts = pattern.Split('*');
            _prefix = parts[0];
            _suffix = parts[^1];
            _middles = [.. parts[1..^1].Where(p => p.Length > 0)];
            _minLength = parts.Sum(p => p.Length);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool Eval(ReadOnlySpan<string> tags)
        {
            foreach (var t in tags)
                if (IsMatch(t)) return true;
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool IsMatch(string tag)
        {
            if (tag.Length < _minLength) return false;
            var span = tag.AsSpan();
            if (!span.StartsWith(_prefix, StringComparison.OrdinalIgnoreCase) || !span.EndsWith(_suffix, StringComparison.OrdinalIgnoreCase))
                return false;
            var rest = span[_prefix.Length..(span.Length - _suffix.Length)];
            foreach (var middle in _middles)
            {
                var at = rest.IndexOf(middle, StringComparison.OrdinalIgnoreCase);
                if (at < 0) return false;
                rest = rest[(at + middle.Length)..];
            }
            return true;
        }
    }

    private sealed class Not(Node operand) : Node
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool Eval(ReadOnlySpan<string> tags) => !operand.Eval(tags);
    }

    private sealed class And(Node[] operands) : Node
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool Eval(ReadOnlySpan<string> tags)
        {
            foreach (var o in operands)
                if (!o.Eval(tags)) return false;
            return true;
        }
    }

    private sealed class Or(Node[] operands) : Node
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override bool Eval(ReadOnlySpan<string> tags)
        {
            foreach (var o in operands)
                if (o.Eval(tags)) return true;
            return false;
        }
    }
}
