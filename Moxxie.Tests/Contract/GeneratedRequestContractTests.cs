using System.Net;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Schema;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// Contract (b): for every method the simulator serves (one case per method, from the schema), requests generated from the
/// method's parameter schema in PVE's full dump get PVE's answers. Each invalid request (wrong type, out of range, bad enum,
/// pattern or format violation, too long, unknown extra parameter, missing required — at most <see cref="CasesPerMethod"/>,
/// spread over the kinds) answers 400 "Parameter verification failed." naming that parameter with PVE::JSONSchema's message;
/// the minimal valid request gets no schema error (it may still be refused for state reasons, which is counted, not failed).
/// The node placeholder is left valid: PVE proxies by node before verifying parameters (a bad node fails the host lookup).
/// </summary>
public sealed class GeneratedRequestContractTests(ContractCluster cluster) : IClassFixture<ContractCluster>
{
    private const int CasesPerMethod = 12;
    private const string ParameterVerificationFailed = "Parameter verification failed.";

    public static TheoryData<string> Methods() => new(PveSchema.Embedded.Methods.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task GeneratedRequests_GetPvesAnswers(string method)
    {
        var space = method.IndexOf(' ');
        var (verb, template) = (method[..space], method[(space + 2)..]);
        var info = ContractCluster.MethodInfo(verb, template);
        var placeholders = ContractCluster.Placeholders(template).ToHashSet(StringComparer.Ordinal);

        var valid = cluster.PathValues(template);
        foreach (var (name, schema) in SchemaRequestGenerator.Parameters(info))
        {
            if (placeholders.Contains(name) || SchemaRequestGenerator.IsOptional(schema)) continue;
            var value = cluster.RequiredValue(template, name, schema);
            Assert.True(value is not null, $"{method}: no valid value for required '{name}' - add one to ContractCluster.RequiredValue");
            valid[name] = value;
        }

        var problems = new List<string>();
        var cases = SchemaRequestGenerator.InvalidCases(info, placeholders, skipParam: "node", CasesPerMethod);
        foreach (var c in cases)
        {
            var values = new Dictionary<string, string>(valid, StringComparer.Ordinal);
            if (c.Value is null) values.Remove(c.Param);
            else values[c.Param] = c.Value;
            var r = await cluster.SendAsync(verb, template, values);
            var errors = Errors(r.Body);
            if (r.Status != HttpStatusCode.BadRequest || r.Reason != ParameterVerificationFailed)
                problems.Add($"{c}: expected 400 {ParameterVerificationFailed}, got {(int)r.Status} {r.Reason}");
            else if (!errors.TryGetValue(c.Param, out var message))
                problems.Add($"{c}: '{c.Param}' not named in errors {{{string.Join(", ", errors.Keys)}}}");
            else if (message != c.Expected)
                problems.Add($"{c}: message '{Escape(message)}', PVE says '{Escape(c.Expected)}'");
            else if (errors.Where(e => e.Key != c.Param && e.Value != $"missing property - '{c.Param}' requires this property").ToList() is { Count: > 0 } further)
                problems.Add($"{c}: further errors for a valid rest of the request: {string.Join(", ", further.Select(e => $"{e.Key}: {Escape(e.Value)}"))}");
        }

        var ok = await cluster.SendAsync(verb, template, valid);
        var schemaErrors = Errors(ok.Body).Where(e => SchemaRequestGenerator.IsSchemaMessage(e.Value)).ToList();
        if (ok.Status == HttpStatusCode.BadRequest && ok.Reason == ParameterVerificationFailed && schemaErrors.Count > 0)
            problems.Add($"minimal valid request ({string.Join("&", valid.Select(v => $"{v.Key}={v.Value}"))}) refused by the schema check: "
                + string.Join(", ", schemaErrors.Select(e => $"{e.Key}: {Escape(e.Value)}")));
        Assert.True((int)ok.Status < 500 || ok.Reason?.StartsWith("Result verification failed", StringComparison.Ordinal) != true,
            $"{method}: the answer breaks the returns schema: {ok.Reason}");

        var outcome = (int)ok.Status is >= 200 and < 300 ? "accepted" : $"refused for state reasons ({(int)ok.Status} {ok.Reason})";
        TestContext.Current.TestOutputHelper?.WriteLine($"[contract] {method}: {cases.Count} invalid requests, minimal valid request {outcome}");
        Assert.True(problems.Count == 0, $"{method}:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void GeneratedCases_CoverEveryKindOfViolation()
    {
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var methods = 0;
        foreach (var method in PveSchema.Embedded.Methods)
        {
            var space = method.IndexOf(' ');
            var template = method[(space + 2)..];
            var info = ContractCluster.MethodInfo(method[..space], template);
            var placeholders = ContractCluster.Placeholders(template).ToHashSet(StringComparer.Ordinal);
            foreach (var c in SchemaRequestGenerator.InvalidCases(info, placeholders, "node", CasesPerMethod))
                kinds[c.Kind] = kinds.GetValueOrDefault(c.Kind) + 1;
            methods++;
        }
        SchemaContractData.Report($"[contract] generated requests: {methods} methods, {kinds.Values.Sum()} invalid cases ("
            + string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}")) + ") plus one minimal valid request each");
        string[] expected = ["unknown-parameter", "missing-required", "wrong-type", "below-minimum", "above-maximum", "bad-enum", "pattern", "bad-format", "too-long"];
        Assert.All(expected, k => Assert.True(kinds.ContainsKey(k), $"no generated case of kind '{k}'"));
    }

    private static Dictionary<string, string> Errors(JsonObject body) =>
        body["errors"] is JsonObject o ? o.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "", StringComparer.Ordinal) : [];

    private static string Escape(string s) => s.Replace("\n", "\\n", StringComparison.Ordinal);
}
