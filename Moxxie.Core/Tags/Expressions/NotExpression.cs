namespace Moxxie.Core.Tags.Expressions;

/// <summary><c>NOT operand</c>: the VM does not match the operand.</summary>
public sealed record NotExpression : TagExpression
{
    public NotExpression(TagExpression operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        Operand = operand;
    }

    public TagExpression Operand { get; }

    internal override int Precedence => 3;
}
