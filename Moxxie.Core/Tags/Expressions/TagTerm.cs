namespace Moxxie.Core.Tags.Expressions;

/// <summary>A tag name, or a pattern in which <c>*</c> matches any run of characters. Stored lower case with runs of
/// <c>*</c> collapsed to one (PVE stores tags lower case; matching ignores case anyway).</summary>
public sealed record TagTerm : TagExpression
{
    public TagTerm(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (TagPatternRules.Check(pattern) is { } problem)
            throw new ArgumentException($"'{pattern}' is not a tag pattern: {problem.Message}", nameof(pattern));
        Pattern = TagPatternRules.Normalize(pattern);
    }

    /// <summary>The normalized pattern, e.g. <c>client-*</c>.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern has a <c>*</c>.</summary>
    public bool IsWildcard => Pattern.Contains('*', StringComparison.Ordinal);

    internal override int Precedence => 4;
}
