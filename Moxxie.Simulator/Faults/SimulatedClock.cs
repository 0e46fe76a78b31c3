namespace Moxxie.Simulator.Faults;

/// <summary>
/// The simulator's clock: the configured TimeProvider plus an offset that only grows (POST /_sim/clock/advance), so
/// tests move simulated time forward (tasks finish, uptimes and counters grow, tickets expire) without waiting.
/// </summary>
internal sealed class SimulatedClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), by, "the simulated clock only moves forward");
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() =>
        inner.GetTimestamp() + (long)(Offset.Ticks * (inner.TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
