namespace Moxxie.Tests.Infrastructure;

/// <summary>The system clock moved by <see cref="Offset"/> (forward = time has passed for Moxxie while PVE's snapshot
/// times stay where they were). Timers and timestamps are the system's, so delays and polling work as usual.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
