namespace Moxxie.Tests.Infrastructure;

/// <summary>A TimeProvider whose current time is whatever the test sets (also backwards). No timers.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public SettableClock() : this(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => Now;
}
