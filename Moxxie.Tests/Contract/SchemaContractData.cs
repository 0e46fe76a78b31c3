using System.Text.Json.Nodes;
using Moxxie.Tests.Simulator;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// PVE's full API schema for the contract suite: pve-api-schema.json in the shared proxmox folder that
/// <see cref="SharedProxmoxData"/> locates (../shared/proxmox next to the folder holding Moxxie.sln; env MOXXIE_SHARED
/// overrides the shared folder). With CI=true a missing folder fails the suite; elsewhere the tests skip with a clearly
/// visible "[contract] SKIPPED" line.
/// </summary>
public static class SchemaContractData
{
    private static readonly Lazy<JsonNode?> FullSchemaNode = new(() =>
        SharedProxmoxData.Available && File.Exists(SchemaFile) ? JsonNode.Parse(File.ReadAllText(SchemaFile)) : null);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string SchemaFile => Path.Combine(SharedProxmoxData.ProxmoxDirectory, "pve-api-schema.json");

    /// <summary>The full schema dump, or skips (fails with CI=true) when ../shared/proxmox is not there.</summary>
    public static JsonNode FullSchema()
    {
        SharedProxmoxData.RequireOrSkip();
        if (FullSchemaNode.Value is { } node) return node;
        var message = $"[contract] SKIPPED: PVE schema not found at '{SchemaFile}'";
        if (SharedProxmoxData.IsCi) Assert.Fail(message.Replace("SKIPPED", "FAILED (CI=true)", StringComparison.Ordinal));
        Console.WriteLine(message);
        Assert.Skip(message);
        return null!;
    }

    /// <summary>The full schema dump as text (for <see cref="Moxxie.Simulator.Schema.PveSchema.Parse"/>), or skips like <see cref="FullSchema"/>.</summary>
    public static string FullSchemaText()
    {
        FullSchema();
        return File.ReadAllText(SchemaFile);
    }

    /// <summary>Writes a "[contract] …" line where a test run shows it (stdout of the test host and the test's output).</summary>
    public static void Report(string line)
    {
        Console.WriteLine(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moxxie.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Moxxie.sln not found above the test binaries.");
    }
}
