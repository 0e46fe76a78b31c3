namespace Moxxie.Simulator.Model;

/// <summary>A worker task (UPID). Lines appear as simulated time passes; it ends with TASK OK / TASK ERROR.</summary>
internal sealed class SimTask
{
    public required string Upid { get; init; }
    public required string Node { get; init; }
    public required int Pid { get; init; }
    public required long PStart { get; init; }
    public required long StartTime { get; init; }          // epoch seconds
    public required string Type { get; init; }
    public required string Id { get; init; }
    public required string User { get; init; }             // user@realm or user@realm!tokenid
    public required DateTimeOffset Started { get; init; }
    public required DateTimeOffset PlannedEnd { get; set; }
    public int? Vmid { get; init; }

    /// <summary>Lines the worker prints, at an offset from the start.</summary>
    public List<(TimeSpan At, string Text)> PlannedLines { get; } = [];
    public List<string> Log { get; } = [];

    /// <summary>State changes the worker makes while it runs (lock the next guest, …), at an offset from the start; they run
    /// in time order with the lines and may plan further lines and actions.</summary>
    public List<(TimeSpan At, Action Run)> PlannedActions { get; } = [];

    /// <summary>Error decided when the task was created (fails without touching state).</summary>
    public string? PlannedError { get; set; }

    /// <summary>Runs when the task ends normally: re-checks and applies the state change; returns an error or null.</summary>
    public Func<string?>? Complete { get; set; }

    /// <summary>
    /// Runs when the task is stopped (DELETE /nodes/{node}/tasks/{upid}): may log its own lines, undo its changes and
    /// release locks; returns the error the task ends with (null = "received interrupt").
    /// </summary>
    public Func<string?>? Abort { get; set; }

    public string? ExitStatus { get; set; }
    public long? EndTime { get; set; }
    public bool IsRunning => ExitStatus is null;

    public (string User, string? TokenId) SplitUser()
    {
        var bang = User.IndexOf('!');
        return bang < 0 ? (User, null) : (User[..bang], User[(bang + 1)..]);
    }
}
