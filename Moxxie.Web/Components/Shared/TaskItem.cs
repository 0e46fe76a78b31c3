using Moxxie.Core.Inventory;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Tasks;

namespace Moxxie.Web.Components.Shared;

/// <summary>A task as the tasks panel shows it: PVE's status merged with what Moxxie's tracker knows (progress, log).</summary>
public sealed record TaskItem(
    string Connection,
    string Upid,
    string Node,
    string Type,
    string? Id,
    string Description,
    string User,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    bool Running,
    string? ExitStatus,
    int? Percent,
    bool Tracked)
{
    /// <summary>"running", "ok" or "error".</summary>
    public string State => Running ? "running" : ExitStatus is not null && (ExitStatus == "OK" || ExitStatus.StartsWith("WARNINGS", StringComparison.Ordinal)) ? "ok" : "error";

    /// <summary>What to show when done: "OK", "WARNINGS: 2" or PVE's error message.</summary>
    public string Outcome => Running ? "running" : ExitStatus ?? "unknown";

    public TimeSpan Elapsed(DateTimeOffset now) => (EndTime ?? now) - StartTime;

    public static TaskItem From(TaskView view, TrackedTask? tracked, Func<string, string?, string>? describe = null)
    {
        var t = view.Task;
        var description = (describe ?? TaskDescriptions.Describe)(t.Type, t.Id);
        // Tasks Moxxie started run as its PVE token; show the Moxxie user who asked for them.
        var user = tracked is null ? t.User : $"{tracked.StartedBy} (Moxxie)";
        return new TaskItem(view.Connection, t.Upid, t.Node, t.Type, t.Id, description, user, t.StartTime, t.EndTime, t.Running,
            t.ExitStatus, t.Running ? tracked?.Percent : null, tracked is not null);
    }
}
