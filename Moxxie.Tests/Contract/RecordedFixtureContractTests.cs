using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox;
using Moxxie.Tests.Simulator;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// Contract (d): every recorded real PVE response in ../shared/proxmox/fixtures is read by Moxxie's client — one test case per
/// file, found by listing the folder at run time, so a new recording is picked up without code changes. The client must send
/// the recorded request (method, path, form) and build domain objects that carry the recorded values (<see cref="DomainLossCheck"/>);
/// error recordings must surface as <see cref="ProxmoxException"/> with PVE's message and per-field errors.
/// </summary>
public sealed class RecordedFixtureContractTests
{
    private const string Missing = "(../shared/proxmox missing)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Files()
    {
        var files = SharedProxmoxData.FixtureFiles();
        return files.Count == 0 ? new TheoryData<string>(Missing) : new TheoryData<string>(files);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Recording_IsReadIntoDomainObjects(string file)
    {
        SharedProxmoxData.RequireOrSkip();
        var f = RecordedFixture.Load(file);
        var call = RecordedCalls.For(f);
        Assert.True(call is not null, $"{file}: no gateway method reads '{f.Endpoint}' (add one, and a line in RecordedCalls)");
        var handler = new FixtureReplayHandler(file);
        var settings = call.TicketLogin
            ? new ProxmoxConnectionSettings("pve", new Uri("https://pve.example:8006"), null, null, null, false, "root@pam", "pa55word")
            : null;
        using var gw = FixtureReplayHandler.Gateway(handler, settings);

        object? result = null;
        ProxmoxException? error = null;
        try
        {
            result = await call.Invoke(gw, f, Ct);
        }
        catch (ProxmoxException ex) when (f.IsError)
        {
            error = ex;
        }

        var sent = Assert.Single(handler.Requests);
        Assert.Equal(f.Method, sent.Method);
        Assert.Equal(f.Path, sent.Path);
        var form = FormOf(sent);
        foreach (var (key, value) in f.Form.Where(p => p.Value != "<redacted>"))
            Assert.True(form.TryGetValue(key, out var v) && v == value, $"{file}: the client did not send {key}={value} (sent: {string.Join('&', form)})");
        foreach (var (key, value) in f.Query.Where(p => p.Key != "vncticket"))
            Assert.True(QueryOf(sent).TryGetValue(key, out var v) && v == value, $"{file}: the client did not send ?{key}={value}");

        if (f.IsError)
        {
            Assert.NotNull(error);
            Assert.Equal(f.Status, error.StatusCode);
            Assert.Equal(f.Reason, error.Message);
            var errors = f.Body["errors"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.ToString().Trim()) ?? [];
            Assert.Equal(errors.OrderBy(p => p.Key), error.ParameterErrors.OrderBy(p => p.Key));
            return;
        }
        var problems = DomainLossCheck.Check(f, result);
        Assert.True(problems.Count == 0, $"{file} ({f.Endpoint}) read with loss:\n  " + string.Join("\n  ", problems));
    }

    private static Dictionary<string, string> FormOf(RecordedRequest r) => Pairs(r.Body);

    private static Dictionary<string, string> QueryOf(RecordedRequest r) => Pairs(r.Uri.Query.TrimStart('?'));

    private static Dictionary<string, string> Pairs(string? encoded) =>
        string.IsNullOrEmpty(encoded) ? [] :
        encoded.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
}
