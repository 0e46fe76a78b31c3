namespace Moxxie.Core.Tags.Expressions;

/// <summary><c>a AND b AND …</c>: two or more operands, none of them an AND (build it with <see cref="TagExpression.And"/>).</summary>
public sealed record AndExpression : TagExpression
{
    internal AndExpression(IReadOnlyList<TagExpression> operands) => Operands = operands;

    public IReadOnlyList<TagExpression> Operands { get; }

    internal override int Precedence => 2;

    public bool Equals(AndExpression? other) => other is not null && Operands.SequenceEqual(other.Operands);

    public override int GetHashCode() => Operands.Aggregate(17, (h, o) => HashCode.Combine(h, o));
}
