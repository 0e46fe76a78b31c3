using System.Text.RegularExpressions;
using Moxxie.Core.Tags.Expressions;
using Xunit;

namespace Moxxie.Tests.Unit.Tags;

/// <summary>Properties of the tag-expression language over seeded random cases; each test prints its counts.</summary>
public sealed class TagExpressionPropertyTests(ITestOutputHelper output)
{
    private const int Seed = 20261205;

    [Fact]
    public void ParseOfPrint_IsTheSameExpression()
    {
        var generator = new TagExpressionGenerator(Seed);
        const int Cases = 5_000;
        var nodes = 0;
        var wildcards = 0;
        for (var i = 0; i < Cases; i++)
        {
            var e = generator.Expression();
            var text = e.ToString();
            var parsed = TagExpression.Parse(text);

            Assert.True(e == parsed, $"case {i}: '{text}' parsed back as '{parsed}'");
            Assert.Equal(text, parsed.ToString());
            nodes += text.Split(' ').Length;
            if (text.Contains('*', StringComparison.Ordinal)) wildcards++;
        }
        output.WriteLine($"[tag-expressions] round trip: {Cases} generated expressions (seed {Seed}), {wildcards} with wildcards, " +
            $"{nodes} words in all: parse(print(e)) == e for every one");
    }

    [Fact]
    public void Fuzz_RandomStrings_ParseOrFailWithAPosition()
    {
        var generator = new TagExpressionGenerator(Seed + 1);
        const int Cases = 100_000;
        var parsed = 0;
        var rejected = 0;
        var byExpectation = new Dictionary<string, int>();
        for (var i = 0; i < Cases; i++)
        {
            var text = generator.Noise();
            TagExpression? e;
            try
            {
                e = TagExpression.Parse(text);
            }
            catch (TagExpressionParseException ex)
            {
                Assert.InRange(ex.Position, 0, text.Length);
                Assert.Contains($" at {ex.Position}", ex.Message, StringComparison.Ordinal);
                Assert.Contains("expected " + ex.Expected, ex.Message, StringComparison.Ordinal);
                rejected++;
                byExpectation[ex.Expected] = byExpectation.GetValueOrDefault(ex.Expected) + 1;
                continue;
            }
            // Anything else escaping Parse fails the test here, with the text that caused it.
            parsed++;
            Assert.Equal(e, TagExpression.Parse(e.ToString()));
        }
        Assert.Equal(Cases, parsed + rejected);
        Assert.True(parsed > 1_000, $"only {parsed} of {Cases} fuzz strings parsed: the generator no longer exercises success");
        Assert.True(rejected > 1_000, $"only {rejected} of {Cases} fuzz strings were rejected");
        output.WriteLine($"[tag-expressions] fuzz: {Cases} random strings (seed {Seed + 1}): {parsed} parsed (and round-tripped), " +
            $"{rejected} rejected with a position, 0 other exceptions; expected: " +
            string.Join("; ", byExpectation.OrderByDescending(p => p.Value).Select(p => $"{p.Key} ×{p.Value}")));
    }

    [Fact]
    public void Fuzz_DeepNesting_IsRejectedWithoutStackOverflow()
    {
        var cases = new[]
        {
            new string('(', 1_000_000),
            string.Concat(Enumerable.Repeat("NOT (", 100_000)) + "a",
            string.Concat(Enumerable.Repeat("(NOT ", 100_000)) + "a" + new string(')', 100_000),
            new string('(', 50_000) + "a" + new string(')', 50_000),
        };
        foreach (var text in cases)
        {
            var ex = Assert.Throws<TagExpressionParseException>(() => TagExpression.Parse(text));
            Assert.Contains("too deeply nested", ex.Message, StringComparison.Ordinal);
        }
        output.WriteLine($"[tag-expressions] deep nesting: {cases.Length} texts of up to {cases.Max(c => c.Length)} characters rejected at depth {TagExpression.MaxDepth}");
    }

    [Fact]
    public void Compiled_AgreesWithANaiveRegexEvaluator()
    {
        var generator = new TagExpressionGenerator(Seed + 2);
        const int Expressions = 2_000;
        const int SetsPerExpression = 25;
        var matched = 0;
        var total = 0;
        for (var i = 0; i < Expressions; i++)
        {
            var e = generator.Expression();
            var compiled = e.Compile();
            for (var j = 0; j < SetsPerExpression; j++)
            {
                var tags = generator.TagSet();
                var expected = Reference(e, tags);
                Assert.True(expected == compiled.Matches(tags), $"'{e}' over [{string.Join(", ", tags)}]: reference says {expected}");
                total++;
                if (expected) matched++;
            }
        }
        Assert.InRange(matched, total / 10, total - total / 10);
        output.WriteLine($"[tag-expressions] evaluation: {total} (expression, tag set) cases (seed {Seed + 2}) agree with the regex " +
            $"reference; {matched} matched, {total - matched} did not");
    }

    [Fact]
    public void Builder_TreeOfAnExpression_GivesTheExpressionBack()
    {
        var generator = new TagExpressionGenerator(Seed + 3);
        const int Cases = 5_000;
        var negatedGroups = 0;
        for (var i = 0; i < Cases; i++)
        {
            var e = generator.Expression();
            var tree = TagQueryNode.From(e);

            Assert.True(tree.IsGroup && !tree.Negated);
            Assert.Equal(e, tree.ToExpression());
            if (e.ToString().Contains("NOT (", StringComparison.Ordinal)) negatedGroups++;
        }
        output.WriteLine($"[tag-expressions] builder: {Cases} generated expressions (seed {Seed + 3}, {negatedGroups} with a negated group) " +
            "turned into builder trees and back unchanged");
    }

    /// <summary>The obvious evaluator: each pattern as an anchored, case-insensitive regex (<c>*</c> → <c>.*</c>).</summary>
    private static bool Reference(TagExpression e, string[] tags) => e switch
    {
        TagTerm t => tags.Any(tag => Regex.IsMatch(tag,
            "^" + string.Join(".*", t.Pattern.Split('*').Select(Regex.Escape)) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)),
        NotExpression n => !Reference(n.Operand, tags),
        AndExpression a => a.Operands.All(o => Reference(o, tags)),
        OrExpression o => o.Operands.Any(x => Reference(x, tags)),
        _ => throw new InvalidOperationException(),
    };
}
