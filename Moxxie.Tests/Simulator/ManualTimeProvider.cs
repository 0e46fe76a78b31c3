namespace Moxxie.Tests.Simulator;

/// <summary>A clock that only moves when told to (Microsoft.Extensions.TimeProvider.Testing is not served here).</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
