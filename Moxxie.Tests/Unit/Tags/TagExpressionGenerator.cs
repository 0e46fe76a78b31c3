using System.Text;
using Moxxie.Core.Tags.Expressions;

namespace Moxxie.Tests.Unit.Tags;

/// <summary>Seeded random tag expressions, tag sets and near-miss texts for the property and fuzz tests.</summary>
public sealed class TagExpressionGenerator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Tags the guide and the simulator use, plus short ones over a small alphabet so wildcards often hit.</summary>
    public static readonly string[] Vocabulary =
    [
        "env-prod", "env-staging", "env-dev", "client-acme", "client-globex", "always-on", "web-tier", "db-tier", "k8s-worker",
        "k8s-control", "talos-v1.7.0", "ha", "_x", "9z", "a+b", "go-proxmox+cloud-init", "andy", "order", "nothing",
    ];

    private const string Small = "ab-.";

    public Random Random => _random;

    public string Tag()
    {
        if (_random.Next(3) > 0) return Vocabulary[_random.Next(Vocabulary.Length)];
        var sb = new StringBuilder();
        sb.Append("ab"[_random.Next(2)]);
        for (var n = _random.Next(0, 4); n > 0; n--) sb.Append(Small[_random.Next(Small.Length)]);
        return sb.ToString();
    }

    /// <summary>A tag with some characters replaced by <c>*</c> or <c>*</c> inserted (sometimes twice in a row).</summary>
    public string Pattern()
    {
        var tag = Tag();
        if (_random.Next(2) == 0) return tag;
        var sb = new StringBuilder(tag);
        for (var n = _random.Next(1, 3); n > 0; n--)
        {
            var at = _random.Next(sb.Length + 1);
            if (_random.Next(2) == 0 && at < sb.Length) sb[at] = '*';
            else sb.Insert(at, _random.Next(4) == 0 ? "**" : "*");
        }
        var pattern = sb.ToString();
        return TagPatternRules.Check(pattern) is null ? pattern : tag;
    }

    public TagExpression Expression(int maxDepth = 5)
    {
        var choice = maxDepth <= 0 ? 0 : _random.Next(10);
        return choice switch
        {
            <= 3 => TagExpression.Tag(Pattern()),
            4 or 5 => TagExpression.Not(Expression(maxDepth - 1)),
            6 or 7 => TagExpression.And(Operands(maxDepth)),
            _ => TagExpression.Or(Operands(maxDepth)),
        };
    }

    private List<TagExpression> Operands(int maxDepth) => [.. Enumerable.Range(0, _random.Next(2, 5)).Select(_ => Expression(maxDepth - 1))];

    /// <summary>0–5 tags of a VM, sometimes in PVE's case-sensitive style (upper case letters).</summary>
    public string[] TagSet()
    {
        var tags = Enumerable.Range(0, _random.Next(0, 6)).Select(_ => Tag()).Distinct().ToArray();
        return _random.Next(5) == 0 ? [.. tags.Select(t => t.ToUpperInvariant())] : tags;
    }

    private static readonly string[] Tokens =
    [
        "AND", "and", "Or", "OR", "NOT", "not", "(", ")", "((", "))", " ", " ", "  ", "\t", "\n", "*", "**", "-", "+", ".", "_",
        "!", "&&", "||", "\"", "'", ",", ";", "é", "\u00A0", "\0", "\uD800", "\uDC00", "\u200B", "ANDOR", "NOTand",
    ];

    /// <summary>A string mixing operators, parentheses, tags, patterns, separators and raw characters (any UTF-16 unit).</summary>
    public string Noise()
    {
        if (_random.Next(3) == 0) return Mutation();
        var sb = new StringBuilder();
        for (var n = _random.Next(0, 25); n > 0; n--)
        {
            switch (_random.Next(10))
            {
                case <= 3: sb.Append(Tokens[_random.Next(Tokens.Length)]); break;
                case 4 or 5: sb.Append(Pattern()); break;
                case 6: sb.Append(' '); break;
                case 7: sb.Append((char)_random.Next(0x20, 0x7F)); break;
                default: sb.Append((char)_random.Next(0, 0x10000)); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>A valid expression's text with 0–3 characters deleted, inserted or replaced (near misses).</summary>
    public string Mutation()
    {
        var sb = new StringBuilder(Expression(3).ToString());
        for (var n = _random.Next(0, 4); n > 0 && sb.Length > 0; n--)
        {
            var at = _random.Next(sb.Length);
            var c = _random.Next(2) == 0 ? "() *-!a"[_random.Next(7)] : (char)_random.Next(0, 0x10000);
            switch (_random.Next(3))
            {
                case 0: sb.Remove(at, 1); break;
                case 1: sb.Insert(at, c); break;
                default: sb[at] = c; break;
            }
        }
        return sb.ToString();
    }
}
