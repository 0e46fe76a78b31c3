using Moxxie.Core.Tags.Expressions;
using Xunit;
using static Moxxie.Core.Tags.Expressions.TagExpression;

namespace Moxxie.Tests.Unit.Tags;

public sealed class TagExpressionTests
{
    [Fact]
    public void Parse_GuideExample_ProdButNotAlwaysOn()
    {
        var e = Parse("env-prod AND NOT always-on");

        Assert.Equal(And(Tag("env-prod"), Not(Tag("always-on"))), e);
        Assert.Equal("env-prod AND NOT always-on", e.ToString());
    }

    [Fact]
    public void Parse_GuideExample_ParenthesisedOrWithWildcard()
    {
        var e = Parse("(env-prod OR env-staging) AND client-*");

        Assert.Equal(And(Or(Tag("env-prod"), Tag("env-staging")), Tag("client-*")), e);
        Assert.Equal("(env-prod OR env-staging) AND client-*", e.ToString());
    }

    [Theory]
    [InlineData("a OR b AND c", "a OR b AND c")]
    [InlineData("(a OR b) AND c", "(a OR b) AND c")]
    [InlineData("NOT a AND b", "NOT a AND b")]
    [InlineData("NOT (a AND b)", "NOT (a AND b)")]
    [InlineData("NOT (a OR b) OR c", "NOT (a OR b) OR c")]
    [InlineData("not NOT a", "NOT NOT a")]
    [InlineData("a and not b Or c", "a AND NOT b OR c")]
    [InlineData("((a))", "a")]
    [InlineData("(a OR b) OR c", "a OR b OR c")]
    [InlineData("a AND (b AND c)", "a AND b AND c")]
    [InlineData("a AND (NOT b)", "a AND NOT b")]
    [InlineData("(a AND b) OR (c AND d)", "a AND b OR c AND d")]
    [InlineData("  ENV-Prod\tAND\nclient-** ", "env-prod AND client-*")]
    [InlineData("a+b.c_d AND _x AND 9z", "a+b.c_d AND _x AND 9z")]
    [InlineData("* AND NOT *-tier", "* AND NOT *-tier")]
    [InlineData("andy OR order OR nothing", "andy OR order OR nothing")]
    public void Print_IsNormalizedWithFewestParentheses(string text, string expected)
    {
        var printed = Parse(text).ToString();

        Assert.Equal(expected, printed);
        Assert.Equal(Parse(text), Parse(printed));
    }

    [Fact]
    public void Precedence_NotBindsTighterThanAndThanOr()
    {
        Assert.Equal(Or(Tag("a"), And(Tag("b"), Tag("c"))), Parse("a OR b AND c"));
        Assert.Equal(And(Not(Tag("a")), Tag("b")), Parse("NOT a AND b"));
        Assert.Equal(Or(And(Tag("a"), Not(Tag("b"))), Tag("c")), Parse("a AND NOT b OR c"));
    }

    [Theory]
    [InlineData("env-prod AND ()", 14, "unexpected ')' at 14, expected a tag, NOT or '('")]
    [InlineData("env-prod AND", 12, "unexpected end of expression at 12, expected a tag, NOT or '('")]
    [InlineData("", 0, "empty expression at 0, expected a tag, NOT or '('")]
    [InlineData("   ", 3, "empty expression at 3, expected a tag, NOT or '('")]
    [InlineData("env-prod always-on", 9, "unexpected tag 'always-on' at 9, expected AND, OR or end of expression")]
    [InlineData("(a OR b", 7, "unexpected end of expression at 7, expected AND, OR or ')'")]
    [InlineData("a)", 1, "unexpected ')' at 1, expected AND, OR or end of expression")]
    [InlineData("a AND and", 6, "unexpected AND at 6, expected a tag, NOT or '('")]
    [InlineData("a OR NOT", 8, "unexpected end of expression at 8, expected a tag, NOT or '('")]
    [InlineData("env@prod", 3, "unexpected '@' at 3 in tag 'env@prod', expected a letter, digit, '_', '-', '+', '.' or '*'")]
    [InlineData("a AND -prod", 6, "unexpected '-' at 6 in tag '-prod', expected a letter, digit, '_' or '*'")]
    [InlineData("a && b", 2, "unexpected '&&' at 2, expected AND, OR or end of expression")]
    [InlineData("a\u0007", 1, "unexpected U+0007 at 1 in tag 'a\\u0007', expected a letter, digit, '_', '-', '+', '.' or '*'")]
    public void Parse_BadText_ReportsPositionAndExpectation(string text, int position, string message)
    {
        var ex = Assert.Throws<TagExpressionParseException>(() => Parse(text.Replace("\\u0007", "\u0007", StringComparison.Ordinal)));

        Assert.Equal(position, ex.Position);
        Assert.Equal(message.Replace("\\u0007", "U+0007", StringComparison.Ordinal), ex.Message);
        Assert.False(string.IsNullOrEmpty(ex.Expected));
    }

    [Fact]
    public void Parse_NestingBeyondTheLimit_IsAParseErrorNotAStackOverflow()
    {
        var deepest = new string('(', MaxDepth) + "a" + new string(')', MaxDepth);
        Assert.Equal(Tag("a"), Parse(deepest));
        Assert.Equal(Not(Tag("a")), Parse("NOT " + new string('(', MaxDepth - 1) + "a" + new string(')', MaxDepth - 1)));

        var tooDeep = Assert.Throws<TagExpressionParseException>(() => Parse(new string('(', MaxDepth + 1) + "a" + new string(')', MaxDepth + 1)));
        Assert.Equal(MaxDepth, tooDeep.Position);
        Assert.Contains("too deeply nested", tooDeep.Message, StringComparison.Ordinal);

        var notChain = string.Concat(Enumerable.Repeat("NOT ", 50_000)) + "a";
        Assert.Equal(MaxDepth * 4, Assert.Throws<TagExpressionParseException>(() => Parse(notChain)).Position);
        Assert.Equal(MaxDepth, Assert.Throws<TagExpressionParseException>(() => Parse(new string('(', 200_000))).Position);
    }

    [Fact]
    public void Parse_LongFlatChains_AreOneNaryNode()
    {
        var text = string.Join(" OR ", Enumerable.Range(0, 20_000).Select(i => $"t{i}"));
        var e = Assert.IsType<OrExpression>(Parse(text));

        Assert.Equal(20_000, e.Operands.Count);
        Assert.Equal(text, e.ToString());
        Assert.True(e.Compile().Matches(["t19999"]));
    }

    [Fact]
    public void Tags_ListsEachPatternOnceInOrder()
    {
        Assert.Equal(["env-prod", "client-*", "always-on"], Parse("(env-prod AND client-*) OR (NOT always-on AND ENV-PROD)").Tags());
    }

    [Fact]
    public void Factories_RefuseInvalidTagsAndFlatten()
    {
        Assert.Throws<ArgumentException>(() => Tag("and"));
        Assert.Throws<ArgumentException>(() => Tag("-x"));
        Assert.Throws<ArgumentException>(() => Tag(""));
        Assert.Throws<ArgumentException>(() => Tag("a b"));
        Assert.Equal(Or(Tag("a"), Tag("b"), Tag("c")), Or(Or(Tag("a"), Tag("b")), Tag("c")));
        Assert.Equal(Tag("a"), And(Tag("a")));
        Assert.NotEqual(Or(Tag("a"), Tag("b")), Or(Tag("b"), Tag("a")));
    }

    [Theory]
    // The guide's web servers: web-server-01 [env-prod, client-acme], web-server-02 [env-prod, client-acme, always-on].
    [InlineData("env-prod AND NOT always-on", "env-prod,client-acme", true)]
    [InlineData("env-prod AND NOT always-on", "env-prod,client-acme,always-on", false)]
    [InlineData("(env-prod OR env-staging) AND client-*", "env-staging,client-globex", true)]
    [InlineData("(env-prod OR env-staging) AND client-*", "env-dev,client-globex", false)]
    [InlineData("(env-prod OR env-staging) AND client-*", "env-prod", false)]
    [InlineData("ENV-PROD", "Env-Prod", true)]
    [InlineData("*-tier", "web-tier", true)]
    [InlineData("*-tier", "tier", false)]
    [InlineData("k8s-*-prod", "k8s-worker-prod", true)]
    [InlineData("k8s-*-prod", "k8s-prod", false)]
    [InlineData("a*a", "a", false)]
    [InlineData("a*a", "aa", true)]
    [InlineData("*b*c*", "xbycz", true)]
    [InlineData("*b*c*", "xcyb", false)]
    [InlineData("*", "", false)]
    [InlineData("*", "anything", true)]
    [InlineData("NOT *", "", true)]
    [InlineData("env-*", "env-", true)]
    public void Compile_MatchesTagSets(string expression, string tags, bool expected)
    {
        string[] set = tags.Length == 0 ? [] : tags.Split(',');
        var compiled = Parse(expression).Compile();

        Assert.Equal(expected, compiled.Matches(set));
        Assert.Equal(expected, compiled.Matches(set.ToList()));
        Assert.Equal(expected, compiled.Matches(set.AsReadOnly()));
    }

    [Fact]
    public void Builder_EditsBecomeTheExpression()
    {
        var root = TagQueryNode.From(Parse("(env-prod OR env-staging) AND client-*"));
        Assert.False(root.IsOr);
        Assert.Equal(2, root.Children.Count);
        Assert.True(root.Children[0].IsGroup && root.Children[0].IsOr);

        root.Children.Add(TagQueryNode.Condition("always-on", negated: true));
        root.Children.Add(TagQueryNode.Condition(""));                      // a picker not filled in yet
        root.Children[0].Children.Add(TagQueryNode.Group());                 // an empty group
        Assert.Equal("(env-prod OR env-staging) AND client-* AND NOT always-on", root.ToExpression()!.ToString());

        root.IsOr = true;
        root.Negated = true;
        Assert.Equal("NOT (env-prod OR env-staging OR client-* OR NOT always-on)", root.ToExpression()!.ToString());

        Assert.Null(TagQueryNode.From(null).ToExpression());
        Assert.Equal(Not(Tag("a")), TagQueryNode.From(Parse("NOT a")).ToExpression());

        root.Children.Add(TagQueryNode.Condition("bad tag"));
        Assert.Single(root.Problems());
        Assert.Throws<ArgumentException>(() => root.ToExpression());
    }
}
