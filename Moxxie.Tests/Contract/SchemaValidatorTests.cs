using System.Text.Json.Nodes;
using Moxxie.Simulator.Schema;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// The simulator's PVE::JSONSchema implementation on the embedded schema: request parameters (types, ranges, enums,
/// formats, property strings, unknown and missing parameters) and "returns" checks, with PVE's messages.
/// </summary>
public sealed class SchemaValidatorTests
{
    private static readonly PveSchema Schema = PveSchema.Embedded;

    private static IReadOnlyDictionary<string, string> Params(string method, string path, params (string Key, string Value)[] values) =>
        Schema.ValidateParameters(method, path, values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void ValidCall_HasNoErrors()
    {
        Assert.Empty(Params("GET", "/nodes/{node}/tasks", ("node", "proxmox-01"), ("limit", "10"), ("source", "all"),
            ("statusfilter", "ok,error"), ("vmid", "101"), ("errors", "0")));
    }

    [Theory]
    [InlineData("limit", "ten", "type check ('integer') failed - got 'ten'")]
    [InlineData("limit", "-1", "value must have a minimum value of 0")]
    [InlineData("errors", "true", "type check ('boolean') failed - got 'true'")]   // the API takes 0/1 only
    [InlineData("source", "everything", "value 'everything' does not have a value in the enumeration 'archive, active, all'")]
    [InlineData("statusfilter", "ok,bogus", "invalid format - invalid status 'bogus'\n")]
    [InlineData("vmid", "42", "invalid format - value does not look like a valid VM ID\n")]
    [InlineData("node", "-bad", "invalid format - value does not look like a valid node name\n")]
    public void InvalidValue_IsReportedWithPvesMessage(string param, string value, string message)
    {
        var values = new Dictionary<string, string> { ["node"] = "proxmox-01", [param] = value };
        var errors = Schema.ValidateParameters("GET", "/nodes/{node}/tasks", values);
        Assert.Equal(message, Assert.Single(errors).Value);
        Assert.Equal(param, errors.Single().Key);
    }

    [Fact]
    public void MissingRequired_AndUnknownParameters_AreEachReported()
    {
        var errors = Params("POST", "/access/ticket", ("user", "root@pam"), ("path", "/vms"));
        Assert.Equal("property is missing and it is not optional", errors["username"]);
        Assert.Equal("property is missing and it is not optional", errors["password"]);
        Assert.Equal("property is not defined in schema and the schema does not allow additional properties", errors["user"]);
        Assert.Equal("missing property - 'path' requires this property", errors["privs"]);
    }

    [Fact]
    public void UpidStatus_ChecksTheNode_ButLeavesTheUpidToTheHandler()
    {
        Assert.Empty(Params("GET", "/nodes/{node}/tasks/{upid}/status", ("node", "pve"), ("upid", "anything")));
    }

    [Fact]
    public void ReturnsCheck_NamesTheOffendingProperty()
    {
        var good = JsonNode.Parse("""{"upid":"UPID:pve:1:2:3:qmstart:100:root@pam:","node":"pve","pid":1,"pstart":2,"starttime":3,"type":"qmstart","id":"100","user":"root@pam","status":"stopped","exitstatus":"OK"}""");
        Assert.Empty(Schema.ValidateReturns("GET", "/nodes/{node}/tasks/{upid}/status", good));

        var bad = good!.DeepClone().AsObject();
        bad["pid"] = "twelve";
        bad["status"] = "done";
        bad.Remove("node");
        var errors = Schema.ValidateReturns("GET", "/nodes/{node}/tasks/{upid}/status", bad);
        Assert.Equal("type check ('integer') failed - got 'twelve'", errors["pid"]);
        Assert.Equal("value 'done' does not have a value in the enumeration 'running, stopped'", errors["status"]);
        Assert.Equal("property is missing and it is not optional", errors["node"]);
    }

    [Fact]
    public void ReturnsCheck_WalksArrays_AndAcceptsPerlScalars()
    {
        // Numbers as strings are Perl scalars like any other: PVE's own result check accepts them (LXC vmid quirk).
        var list = JsonNode.Parse("""[{"vmid":"200","status":"running"},{"vmid":201,"status":"stopped","cpus":"x"}]""");
        var errors = Schema.ValidateReturns("GET", "/nodes/{node}/lxc", list);
        Assert.Equal("type check ('number') failed - got 'x'", Assert.Single(errors).Value);
        Assert.Equal("[1].cpus", errors.Single().Key);
    }

    [Fact]
    public void UnknownMethod_Throws()
    {
        Assert.Throws<KeyNotFoundException>(() => Schema.ValidateParameters("GET", "/frobnicate", new Dictionary<string, string>()));
    }
}
