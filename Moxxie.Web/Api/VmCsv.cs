using System.Globalization;
using System.Text;
using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Api;

/// <summary>CSV export of the VM list with the UI's filters and sort (the /vms URL's status, tag, node, q, sort, dir: the page's
/// "Export CSV" link is its own query string), every matching row (not only the page shown), streamed row by row.</summary>
public static class VmCsv
{
    public static readonly string[] Header =
    [
        "vmid", "name", "node", "type", "status", "cpu_percent", "cpus", "mem_bytes", "maxmem_bytes", "disk_bytes", "maxdisk_bytes",
        "netin_bytes_per_s", "netout_bytes_per_s", "uptime_seconds", "tags", "lock", "template", "connection",
    ];

    private static readonly string[] Statuses = ["running", "stopped", "paused"];

    /// <summary>The UI's query names (status, tag repeated, node, q, expr) and the API's (tags comma list, name, tagExpression) are both accepted.</summary>
    public static VmFilter FilterFrom(IQueryCollection query)
    {
        var tags = query["tag"].Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim())
            .Concat(ApiQuery.List(query["tags"].ToString()))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var status = query["status"].ToString();
        if (!string.IsNullOrWhiteSpace(status) && !Statuses.Contains(status.Trim(), StringComparer.OrdinalIgnoreCase))
            ApiQuery.ThrowIfAny(new Dictionary<string, string> { ["status"] = "Must be one of running, stopped, paused." });
        var name = query["q"].ToString();
        if (string.IsNullOrWhiteSpace(name)) name = query["name"].ToString();
        var expression = query["expr"].ToString();
        if (string.IsNullOrWhiteSpace(expression)) expression = query["tagExpression"].ToString();
        return new VmFilter(tags, NullIfEmpty(status), NullIfEmpty(query["node"].ToString()), NullIfEmpty(name), NullIfEmpty(query["connection"].ToString()),
            TagExpression: NullIfEmpty(expression));
    }

    public static async Task ExportAsync(HttpContext http, VmListService vms, TimeProvider time)
    {
        var query = http.Request.Query;
        var filter = FilterFrom(query);
        var order = VmListQuery.FromUrl(null, null, null, null, query["sort"].ToString(), query["dir"].ToString(), null, null);
        var rows = vms.Matching(filter, order.Sort, order.Descending);
        var response = http.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"vms-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', Header));
        var ct = http.RequestAborted;
        foreach (var vm in rows)
        {
            ct.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(Line(vm));
        }
        await writer.FlushAsync(ct);
    }

    public static string Line(VmListRow g)
    {
        string[] fields =
        [
            Num(g.VmId), Text(g.Name), Text(g.Node), g.Type == GuestType.Lxc ? "lxc" : "qemu", Text(g.Status),
            (g.Cpu * 100).ToString("0.##", CultureInfo.InvariantCulture), Num(g.MaxCpu), Num(g.Mem), Num(g.MaxMem), Num(g.Disk), Num(g.MaxDisk),
            Math.Round(g.NetInRate).ToString(CultureInfo.InvariantCulture), Math.Round(g.NetOutRate).ToString(CultureInfo.InvariantCulture),
            Num(g.Uptime), Text(string.Join(';', g.Tags)), Text(g.Lock ?? ""), g.Template ? "1" : "0", Text(g.Connection),
        ];
        return string.Join(',', fields);
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is defused so spreadsheets do not run it as a formula.</summary>
    public static string Text(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
