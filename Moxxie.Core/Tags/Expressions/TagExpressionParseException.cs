namespace Moxxie.Core.Tags.Expressions;

/// <summary>
/// A tag expression that does not parse. <see cref="Position"/> is the <b>0-based</b> character offset of the problem in
/// the text (the text's length when it ended too early), so a text box can put the caret there; the message reads
/// <c>unexpected ')' at 14, expected a tag, NOT or '('</c>.
/// </summary>
public sealed class TagExpressionParseException : FormatException
{
    public TagExpressionParseException(string message, int position, string expected, string? unexpected = null)
        : base(message)
    {
        Position = position;
        Expected = expected;
        Unexpected = unexpected;
    }

    public TagExpressionParseException() : this("The tag expression is invalid.", 0, "a tag") { }

    public TagExpressionParseException(string message) : this(message, 0, "a tag") { }

    public TagExpressionParseException(string message, Exception innerException) : base(message, innerException) => Expected = "a tag";

    /// <summary>0-based offset of the offending token or character (the text's length at the end of the text).</summary>
    public int Position { get; }

    /// <summary>What the parser expected there, e.g. <c>a tag, NOT or '('</c>, <c>AND, OR or ')'</c>.</summary>
    public string Expected { get; }

    /// <summary>What it found (<c>')'</c>, <c>end of expression</c>, <c>tag 'web'</c>), when there was a token.</summary>
    public string? Unexpected { get; }
}
