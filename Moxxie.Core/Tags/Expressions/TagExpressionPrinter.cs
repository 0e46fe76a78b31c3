using System.Text;

namespace Moxxie.Core.Tags.Expressions;

/// <summary>Prints the normalized text: upper-case operators, single spaces, parentheses only where precedence needs
/// them (an OR inside an AND or a NOT; an AND inside a NOT).</summary>
internal static class TagExpressionPrinter
{
    public static string Print(TagExpression expression)
    {
        var sb = new StringBuilder();
        Write(sb, expression);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, TagExpression e)
    {
        switch (e)
        {
            case TagTerm t:
                sb.Append(t.Pattern);
                break;
            case NotExpression n:
                sb.Append("NOT ");
                WriteOperand(sb, n.Operand, n.Precedence);
                break;
            case AndExpression a:
                for (var i = 0; i < a.Operands.Count; i++)
                {
                    if (i > 0) sb.Append(" AND ");
                    WriteOperand(sb, a.Operands[i], a.Precedence);
                }
                break;
            case OrExpression o:
                for (var i = 0; i < o.Operands.Count; i++)
                {
                    if (i > 0) sb.Append(" OR ");
                    WriteOperand(sb, o.Operands[i], o.Precedence);
                }
                break;
        }
    }

    private static void WriteOperand(StringBuilder sb, TagExpression operand, int parentPrecedence)
    {
        var parens = operand.Precedence < parentPrecedence;
        if (parens) sb.Append('(');
        Write(sb, operand);
        if (parens) sb.Append(')');
    }
}
