using Microsoft.AspNetCore.Http.HttpResults;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Security;
using Moxxie.Core.Vms;
using Moxxie.Web.Identity;

namespace Moxxie.Web.Api;

public static class VmEndpoints
{
    private static readonly string[] Statuses = ["running", "stopped", "paused"];

    public static RouteGroupBuilder MapVmEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/vms").WithTags("VMs");
        group.MapGet("/", List).WithSummary("Guests of every connection. tags: comma list (all must match); status: running|stopped|paused; node; " +
            "name (substring); tagExpression (e.g. 'env-prod AND NOT always-on'; 400 VALIDATION_ERROR with the parse error's position); limit 1–1000. With page (1-based) the answer is {data, pagination, filters} with limit as the page size (default 20).");
        group.MapGet("/export.csv", VmCsv.ExportAsync)
            .WithSummary("The filtered VM list as CSV (status, tag (repeatable) or tags (comma list), node, q or name), streamed.");
        group.MapGet("/{vmid:int}", Get).WithSummary("One guest; 404 when no connection has it.");
        group.MapPost("/{vmid:int}/{action:regex(^(start|stop|shutdown|reboot|reset|suspend|resume)$)}", PowerAsync)
            .RequireAuthorization(MoxxieRoles.CanOperatePolicy)
            .WithSummary("Power action; 202 with the PVE task UPID. Operators and Admins only.");
        return api;
    }

    public const int DefaultPageSize = 20;

    private static Results<Ok<List<VmDto>>, Ok<PagedResponse<VmDto>>> List(string? tags, string? status, string? node, string? name, string? limit,
        string? page, string? connection, string? tagExpression, VmService vms)
    {
        var errors = new Dictionary<string, string>();
        var max = ApiQuery.Limit(limit, null, errors);
        var pageNumber = ApiQuery.Page(page, errors);
        if (!string.IsNullOrWhiteSpace(status) && !Statuses.Contains(status.Trim(), StringComparer.OrdinalIgnoreCase))
            errors["status"] = "Must be one of running, stopped, paused.";
        ApiQuery.ThrowIfAny(errors);

        var filter = new VmFilter(ApiQuery.List(tags), status, node, name, connection, max, TagExpression: tagExpression);
        if (pageNumber is not { } p)
            return TypedResults.Ok(vms.List(filter).Select(ToDto).ToList());

        var result = vms.Page(filter, p, max ?? DefaultPageSize);
        return TypedResults.Ok(new PagedResponse<VmDto>(
            [.. result.Items.Select(ToDto)],
            new PaginationDto(result.Total, result.Page, result.PageSize, result.HasNext, result.HasPrevious),
            new FiltersDto(Applied(filter))));
    }

    /// <summary>The guide's "filters.applied": ["status:running", "tag:env-prod", …].</summary>
    public static IReadOnlyList<string> Applied(VmFilter filter)
    {
        var applied = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter.Status)) applied.Add("status:" + filter.Status.Trim().ToLowerInvariant());
        foreach (var tag in filter.Tags ?? []) applied.Add("tag:" + tag);
        if (!string.IsNullOrWhiteSpace(filter.Node)) applied.Add("node:" + filter.Node.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Name)) applied.Add("name:" + filter.Name.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Connection)) applied.Add("connection:" + filter.Connection.Trim());
        if (filter.CompileTagExpression() is { } expression) applied.Add("tagExpression:" + expression);
        return applied;
    }

    private static Results<Ok<VmDto>, JsonHttpResult<ApiError>> Get(int vmid, string? connection, VmService vms, TimeProvider time)
    {
        var vm = vms.Find(new VmRef(vmid, string.IsNullOrWhiteSpace(connection) ? null : connection.Trim()));
        return vm is null
            ? ApiErrorMapping.Error(time, StatusCodes.Status404NotFound, ApiError.NotFound,
                string.IsNullOrWhiteSpace(connection) ? $"VM {vmid} not found." : $"VM {vmid} not found on connection '{connection.Trim()}'.")
            : TypedResults.Ok(ToDto(vm));
    }

    private static async Task<Results<Accepted<TaskAcceptedResponse>, JsonHttpResult<ApiError>>> PowerAsync(
        int vmid, string action, string? connection, HttpContext http, VmService vms, TimeProvider time)
    {
        var powerAction = Enum.Parse<PowerAction>(action, ignoreCase: true);
        var result = await vms.PowerAsync(ActorFactory.FromHttpContext(http), new VmRef(vmid, string.IsNullOrWhiteSpace(connection) ? null : connection.Trim()),
            powerAction, http.RequestAborted);
        if (!result.Success || result.Upid is null)
            return ApiErrorMapping.FromPowerFailure(result, time);
        return TypedResults.Accepted((string?)null, new TaskAcceptedResponse(result.Upid, result.Message));
    }

    public static VmDto ToDto(VmView v)
    {
        var g = v.Guest;
        return new VmDto(g.VmId, g.Name, g.Node, g.Type == GuestType.Lxc ? "lxc" : "qemu", g.Status, g.Cpu, g.MaxCpu, g.Mem, g.MaxMem,
            g.Disk, g.MaxDisk, g.NetIn, g.NetOut, g.DiskRead, g.DiskWrite, g.Uptime, g.Template, g.Tags, g.Lock, g.HaState, v.Connection);
    }
}
