using System.Globalization;
using System.Text;

namespace Moxxie.Core.Tags.Expressions;

/// <summary>Hand-written recursive descent over a single-pass tokenizer (see <see cref="TagExpression"/> for the grammar).
/// Linear in the text; nesting deeper than <see cref="TagExpression.MaxDepth"/> is an error, never a stack overflow.</summary>
internal sealed class TagExpressionParser
{
    private enum Kind { End, Open, Close, And, Or, Not, Word }

    private readonly string _text;
    private int _next;          // where the tokenizer continues
    private Kind _kind;         // current token
    private int _start;         // its 0-based offset
    private int _length;

    private TagExpressionParser(string text)
    {
        _text = text;
        Advance();
    }

    public static TagExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new TagExpressionParser(text);
        if (parser._kind == Kind.End)
            throw new TagExpressionParseException(
                $"empty expression at {parser._start.ToString(CultureInfo.InvariantCulture)}, expected a tag, NOT or '('",
                parser._start, "a tag, NOT or '('", "end of expression");
        var expression = parser.ParseOr(0);
        if (parser._kind != Kind.End)
            throw parser.Unexpected("AND, OR or end of expression");
        return expression;
    }

    private TagExpression ParseOr(int depth)
    {
        var first = ParseAnd(depth);
        if (_kind != Kind.Or) return first;
        var operands = new List<TagExpression> { first };
        while (_kind == Kind.Or)
        {
            Advance();
            operands.Add(ParseAnd(depth));
        }
        return TagExpression.Or(operands);
    }

    private TagExpression ParseAnd(int depth)
    {
        var first = ParseUnary(depth);
        if (_kind != Kind.And) return first;
        var operands = new List<TagExpression> { first };
        while (_kind == Kind.And)
        {
            Advance();
            operands.Add(ParseUnary(depth));
        }
        return TagExpression.And(operands);
    }

    private TagExpression ParseUnary(int depth)
    {
        if (_kind != Kind.Not) return ParsePrimary(depth);
        CheckDepth(depth);
        Advance();
        return new NotExpression(ParseUnary(depth + 1));
    }

    private TagExpression ParsePrimary(int depth)
    {
        switch (_kind)
        {
            case Kind.Word:
            {
                var word = _text.Substring(_start, _length);
                if (TagPatternRules.Check(word) is { } problem)
                {
                    var at = _start + problem.Offset;
                    throw new TagExpressionParseException(
                        $"unexpected {TagPatternRules.Describe(word[problem.Offset])} at {at.ToString(CultureInfo.InvariantCulture)} in tag {Quote(word)}, expected {problem.Expected}",
                        at, problem.Expected, TagPatternRules.Describe(word[problem.Offset]));
                }
                Advance();
                return new TagTerm(word);
            }
            case Kind.Open:
            {
                CheckDepth(depth);
                Advance();
                var inner = ParseOr(depth + 1);
                if (_kind != Kind.Close) throw Unexpected("AND, OR or ')'");
                Advance();
                return inner;
            }
            default:
                throw Unexpected("a tag, NOT or '('");
        }
    }

    private void CheckDepth(int depth)
    {
        if (depth < TagExpression.MaxDepth) return;
        var max = TagExpression.MaxDepth.ToString(CultureInfo.InvariantCulture);
        throw new TagExpressionParseException(
            $"too deeply nested at {_start.ToString(CultureInfo.InvariantCulture)}, expected at most {max} levels of parentheses and NOT",
            _start, $"at most {max} levels of parentheses and NOT", Describe());
    }

    private TagExpressionParseException Unexpected(string expected)
    {
        var what = Describe();
        return new TagExpressionParseException(
            $"unexpected {what} at {_start.ToString(CultureInfo.InvariantCulture)}, expected {expected}", _start, expected, what);
    }

    private string Describe() => _kind switch
    {
        Kind.End => "end of expression",
        Kind.Open => "'('",
        Kind.Close => "')'",
        Kind.And or Kind.Or or Kind.Not => _text.Substring(_start, _length).ToUpperInvariant(),
        _ => (TagPatternRules.Check(_text.Substring(_start, _length)) is null ? "tag " : "") + Quote(_text.Substring(_start, _length)),
    };

    /// <summary>A word as messages quote it: at most 40 characters, characters that do not print as U+XXXX.</summary>
    private static string Quote(string word)
    {
        var sb = new StringBuilder("'");
        var shown = 0;
        foreach (var c in word)
        {
            if (shown++ == 40) { sb.Append('…'); break; }
            var d = TagPatternRules.Describe(c);
            sb.Append(d.Length == 3 ? c.ToString() : d);
        }
        return sb.Append('\'').ToString();
    }

    private void Advance()
    {
        var i = _next;
        while (i < _text.Length && char.IsWhiteSpace(_text[i])) i++;
        _start = i;
        if (i >= _text.Length)
        {
            _kind = Kind.End;
            _length = 0;
            _next = i;
            return;
        }
        var c = _text[i];
        if (c is '(' or ')')
        {
            _kind = c == '(' ? Kind.Open : Kind.Close;
            _length = 1;
            _next = i + 1;
            return;
        }
        var end = i;
        while (end < _text.Length && !char.IsWhiteSpace(_text[end]) && _text[end] is not ('(' or ')')) end++;
        _length = end - i;
        _next = end;
        var word = _text.AsSpan(i, _length);
        _kind = word.Equals("and", StringComparison.OrdinalIgnoreCase) ? Kind.And
            : word.Equals("or", StringComparison.OrdinalIgnoreCase) ? Kind.Or
            : word.Equals("not", StringComparison.OrdinalIgnoreCase) ? Kind.Not
            : Kind.Word;
    }
}
