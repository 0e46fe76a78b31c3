using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Tasks;

namespace Moxxie.Web.Api;

public static class TaskEndpoints
{
    private static readonly string[] Categories = ["running", "ok", "error"];

    public static RouteGroupBuilder MapTaskEndpoints(this RouteGroupBuilder api)
    {
        api.MapGroup("/tasks").WithTags("Tasks")
            .MapGet("/", List).WithSummary("Recent PVE tasks, newest first. statusfilter: comma list of running, ok, error; limit 1–1000 (default 50).");
        return api;
    }

    private static Ok<List<TaskDto>> List(string? limit, string? statusfilter, TaskService tasks)
    {
        var errors = new Dictionary<string, string>();
        var max = ApiQuery.Limit(limit, 50, errors);
        var filter = ApiQuery.List(statusfilter).Select(s => s.ToLowerInvariant()).ToList();
        if (filter.Any(f => !Categories.Contains(f)))
            errors["statusfilter"] = "Each value must be one of running, ok, error.";
        ApiQuery.ThrowIfAny(errors);

        return TypedResults.Ok(tasks.Recent(max ?? 50, filter).Select(ToDto).ToList());
    }

    public static TaskDto ToDto(TaskView view)
    {
        var t = view.Task;
        Upid.TryParse(t.Upid, out var upid);
        return new TaskDto(t.Upid, t.Node, upid?.Pid, upid?.PStart, t.StartTime.ToUnixTimeSeconds(), t.EndTime?.ToUnixTimeSeconds(),
            t.Type, t.Id, t.User, t.Running ? "running" : t.ExitStatus ?? "unknown", t.ExitStatus, view.Connection);
    }
}
