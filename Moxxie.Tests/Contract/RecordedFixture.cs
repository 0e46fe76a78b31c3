using System.Text.Json.Nodes;
using Moxxie.Tests.Simulator;

namespace Moxxie.Tests.Contract;

/// <summary>One recorded PVE exchange from ../shared/proxmox/fixtures (fixture/request/response), with the path parameters
/// taken from the recorded path by matching the fixture's endpoint template.</summary>
public sealed record RecordedFixture(
    string File,
    string Method,
    string Template,
    string Path,
    IReadOnlyDictionary<string, string> PathParams,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    int Status,
    string? Reason,
    JsonObject Body)
{
    /// <summary>"GET /nodes/{node}/qemu" as in the fixture.</summary>
    public string Endpoint => $"{Method} {Template}";

    public bool IsError => Status >= 400;

    public JsonNode? Data => Body["data"];

    public string this[string pathParam] => PathParams[pathParam];

    public string? Q(string name) => Query.GetValueOrDefault(name);

    public static RecordedFixture Load(string file)
    {
        var json = SharedProxmoxData.Fixture(file);
        var endpoint = json["fixture"]!["endpoint"]!.GetValue<string>();
        var space = endpoint.IndexOf(' ');
        var (method, template) = (endpoint[..space], endpoint[(space + 1)..]);
        var request = json["request"]!;
        var recorded = (request["path_normalized"] ?? request["path"])!.GetValue<string>();
        while (recorded.Contains("//", StringComparison.Ordinal)) recorded = recorded.Replace("//", "/", StringComparison.Ordinal);
        var response = json["response"]!;
        return new RecordedFixture(
            file, method, template, recorded, MatchTemplate(template, recorded["/api2/json".Length..], file),
            Strings(request["query"]), Strings(request["form"]),
            response["status"]!.GetValue<int>(), response["reason"]?.GetValue<string>(),
            response["body"] as JsonObject ?? new JsonObject());
    }

    private static Dictionary<string, string> MatchTemplate(string template, string path, string file)
    {
        var t = template.Trim('/').Split('/');
        var p = path.Trim('/').Split('/');
        if (t.Length != p.Length) throw new InvalidOperationException($"{file}: path '{path}' does not match endpoint '{template}'");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < t.Length; i++)
        {
            if (t[i].StartsWith('{')) result[t[i][1..^1]] = p[i];
            else if (t[i] != p[i]) throw new InvalidOperationException($"{file}: path '{path}' does not match endpoint '{template}'");
        }
        return result;
    }

    private static Dictionary<string, string> Strings(JsonNode? node) =>
        node is JsonObject o ? o.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal) : [];
}
