namespace Moxxie.Core.Scheduling;

/// <summary>Moxxie:Scheduler. <see cref="GraceWindow"/>: a fire time missed while no instance was running is still run
/// (once, however many fire times fell inside the window) when Moxxie comes back within this long; older ones are
/// recorded as MISSED. <see cref="TickInterval"/>: how often each instance looks for due fire times (a run starts at most
/// this late). <see cref="TakeoverAfter"/>: a running run whose instance has not reported for this long is followed by
/// another instance.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Moxxie:Scheduler";

    public bool Enabled { get; set; } = true;
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan GraceWindow { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan TakeoverAfter { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>This instance's name in the runs table (default: machine name and process id).</summary>
    public string? InstanceName { get; set; }
}
