namespace Moxxie.E2E.Infrastructure;

/// <summary>Test-only: the system clock plus an offset that a journey moves forward. Timers and timestamps stay the
/// system's (delays still take real time), only "now" jumps. Wired only by an E2E host, never by the app itself.</summary>
public sealed class AdvanceableClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
