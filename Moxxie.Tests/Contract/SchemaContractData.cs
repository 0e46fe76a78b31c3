using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// Where the schema contract suite finds PVE's full API schema: ../shared/proxmox/pve-api-schema.json next to the
/// folder holding Moxxie.sln (env MOXXIE_SHARED overrides the shared folder). With CI=true a missing folder fails
/// the suite; elsewhere the tests skip with a clearly visible "[contract] SKIPPED" reason.
/// </summary>
public static class SchemaContractData
{
    private static readonly Lazy<JsonNode?> FullSchemaNode = new(() => SchemaPath is { } p ? JsonNode.Parse(File.ReadAllText(p)) : null);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string? SchemaPath { get; } = Locate();

    /// <summary>The full schema dump, or skips (fails with CI=true) when ../shared/proxmox is not there.</summary>
    public static JsonNode FullSchema()
    {
        if (FullSchemaNode.Value is { } node) return node;
        var message = $"[contract] SKIPPED: PVE schema not found at '{ExpectedPath}' (set MOXXIE_SHARED to the shared folder)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail(message.Replace("SKIPPED", "FAILED (CI=true)", StringComparison.Ordinal));
        Console.WriteLine(message);
        Assert.Skip(message);
        return null!;
    }

    /// <summary>Writes a "[contract] …" line where a test run shows it (stdout of the test host and the test's output).</summary>
    public static void Report(string line)
    {
        Console.WriteLine(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        TestContext.Current.SendDiagnosticMessage(line);
    }

    private static string ExpectedPath => Path.Combine(SharedRoot(), "proxmox", "pve-api-schema.json");

    private static string? Locate() => File.Exists(ExpectedPath) ? ExpectedPath : null;

    private static string SharedRoot()
    {
        var shared = Environment.GetEnvironmentVariable("MOXXIE_SHARED");
        return string.IsNullOrEmpty(shared) ? Path.Combine(Path.GetDirectoryName(RepositoryRoot)!, "shared") : shared;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moxxie.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Moxxie.sln not found above the test binaries.");
    }
}
