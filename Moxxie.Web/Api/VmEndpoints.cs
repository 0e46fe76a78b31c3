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
        group.MapGet("/", List).WithSummary("Guests of every connection. tags: comma list (all must match); status: running|stopped|paused; node; name (substring); limit 1–1000.");
        group.MapPost("/{vmid:int}/{action:regex(^(start|stop|shutdown|reboot|reset|suspend|resume)$)}", PowerAsync)
            .RequireAuthorization(MoxxieRoles.CanOperatePolicy)
            .WithSummary("Power action; 202 with the PVE task UPID. Operators and Admins only.");
        return api;
    }

    private static Ok<List<VmDto>> List(string? tags, string? status, string? node, string? name, string? limit, string? connection, VmService vms)
    {
        var errors = new Dictionary<string, string>();
        var max = ApiQuery.Limit(limit, null, errors);
        if (!string.IsNullOrWhiteSpace(status) && !Statuses.Contains(status.Trim(), StringComparer.OrdinalIgnoreCase))
            errors["status"] = "Must be one of running, stopped, paused.";
        ApiQuery.ThrowIfAny(errors);

        var list = vms.List(new VmFilter(ApiQuery.List(tags), status, node, name, connection, max));
        return TypedResults.Ok(list.Select(ToDto).ToList());
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
