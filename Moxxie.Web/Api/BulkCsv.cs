using System.Globalization;
using System.Text;
using Moxxie.Core.Bulk;

namespace Moxxie.Web.Api;

/// <summary>The results of one bulk operation as CSV (the execution view's "CSV" export): one line per VM in plan order
/// with its action, proposed name, status, UPID, message or error, attempts and times. Any signed-in user may read it.</summary>
public static class BulkCsv
{
    public static readonly string[] Header =
    [
        "seq", "vmid", "vm_name", "node", "connection", "action", "proposed_name", "status", "success", "upid", "message", "error",
        "attempts", "started_at", "finished_at",
    ];

    public static IEndpointRouteBuilder MapBulkExportEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/bulk/operations/{id}/export.csv", ExportAsync).WithTags("Bulk operations")
            .WithSummary("One bulk operation's per-VM results as CSV (404 NOT_FOUND when unknown).");
        return api;
    }

    public static async Task<IResult> ExportAsync(string id, HttpContext http, IBulkOperationService bulk)
    {
        var op = await bulk.GetAsync(id, http.RequestAborted);
        if (op is null) throw new KeyNotFoundException($"There is no bulk operation {id}.");
        var csv = Write(op);
        return TypedResults.File(new UTF8Encoding(false).GetBytes(csv), "text/csv; charset=utf-8", $"bulk-{SafeFileName(op.Id)}.csv");
    }

    public static string Write(BulkOperationView op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Header)).Append("\r\n");
        foreach (var t in op.Tasks.OrderBy(t => t.Seq))
        {
            string[] fields =
            [
                Num(t.Seq), t.VmId is { } vmid ? Num(vmid) : "", VmCsv.Text(t.VmName), VmCsv.Text(t.Node), VmCsv.Text(t.Connection), VmCsv.Text(t.Action),
                VmCsv.Text(t.ProposedName ?? ""), VmCsv.Text(t.Status), t.Success ? "1" : "0", VmCsv.Text(t.Upid ?? ""), VmCsv.Text(t.Message ?? ""),
                VmCsv.Text(t.Error ?? ""), Num(t.Attempts), Time(t.StartedAt), Time(t.FinishedAt),
            ];
            sb.Append(string.Join(',', fields)).Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";

    private static string SafeFileName(string id) => string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
