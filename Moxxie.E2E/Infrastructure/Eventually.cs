namespace Moxxie.E2E.Infrastructure;

/// <summary>Polls a condition with a deadline (no fixed sleeps standing in for a condition).</summary>
public static class Eventually
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns the first non-null value <paramref name="probe"/> yields before the deadline, or fails with <paramref name="what"/>.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0.#} s: {what}");
            await Task.Delay(Step, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Asserts a condition stays true for a whole observation window: the only way to show that something (a
    /// request the UI might still send) does NOT happen. Checks every 100 ms and fails on the first violation.
    /// </summary>
    public static async Task StaysTrueAsync(Func<Task<bool>> condition, TimeSpan window, string what)
    {
        var end = DateTime.UtcNow + window;
        do
        {
            Assert.True(await condition(), what);
            await Task.Delay(Step, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < end);
        Assert.True(await condition(), what);
    }
}
