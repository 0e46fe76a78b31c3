namespace Moxxie.Infrastructure.Inventory;

/// <summary>Configuration section Moxxie:Inventory.</summary>
public sealed class InventoryOptions
{
    public const string Section = "Moxxie:Inventory";

    /// <summary>How often each connection's /cluster/status, /cluster/resources and /cluster/tasks are polled.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A connection whose last good refresh is older than this is reported stale (Error set, last good data kept)
    /// even while a poll is still waiting for PVE's answer (the per-call timeout is much longer), so the UI's stale banner
    /// appears within about this time.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An on-demand refresh (a tracked task ended, tags written) waits until this long after the previous poll
    /// ended, so a burst of them (a bulk run ending dozens of tasks a second) costs one poll per gap, not back-to-back
    /// polls of the whole cluster; the regular tick is not held back. Zero: refresh at once.</summary>
    public TimeSpan RefreshMinGap { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a tracked task's status and log are polled.</summary>
    public TimeSpan TaskPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Every how many polls the per-node guest lists (?full=1, which makes PVE query each running VM) are read to tell
    /// paused VMs apart (0 = never); also right after a tracked task ended.
    /// One call per node, never per VM.</summary>
    public int PausedCheckEvery { get; set; } = 10;

    /// <summary>A tracked task is given up after this many consecutive failed polls.</summary>
    public int TaskMaxFailures { get; set; } = 60;
}
