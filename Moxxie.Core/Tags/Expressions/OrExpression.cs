namespace Moxxie.Core.Tags.Expressions;

/// <summary><c>a OR b OR …</c>: two or more operands, none of them an OR (build it with <see cref="TagExpression.Or"/>).</summary>
public sealed record OrExpression : TagExpression
{
    internal OrExpression(IReadOnlyList<TagExpression> operands) => Operands = operands;

    public IReadOnlyList<TagExpression> Operands { get; }

    internal override int Precedence => 1;

    public bool Equals(OrExpression? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => Operands.Aggregate(19, (h, o) => HashCode.Combine(h, o));
}
