using System.Reflection;
using Moxxie.Simulator;
using Moxxie.Simulator.Schema;
using Xunit;

namespace Moxxie.Tests.Contract;

/// <summary>
/// The schema subset embedded in the simulator (Moxxie.Simulator/Schema/pve-api-schema.subset.json) is exactly what
/// the generator cuts from ../shared/proxmox/pve-api-schema.json for the routes served today. After adding routes:
/// <c>MOXXIE_REGEN_SCHEMA=1 dotnet test Moxxie.Tests --filter FullyQualifiedName~SchemaSubsetTests</c>, then rebuild.
/// </summary>
public sealed class SchemaSubsetTests
{
    private static string SubsetFile => Path.Combine(SchemaContractData.RepositoryRoot, "Moxxie.Simulator", "Schema", "pve-api-schema.subset.json");

    [Fact]
    public void CommittedSubset_IsWhatTheGeneratorProduces()
    {
        var full = SchemaContractData.FullSchema();
        var generated = SchemaSubset.Generate(full, SimulatorServer.ServedRoutes);
        Assert.True(generated.Missing.Count == 0,
            "served routes missing from PVE's schema (not a PVE method, or a placeholder named differently): " + string.Join(", ", generated.Missing));

        if (Environment.GetEnvironmentVariable("MOXXIE_REGEN_SCHEMA") == "1")
        {
            File.WriteAllText(SubsetFile, generated.Json);
            SchemaContractData.Report($"[contract] schema subset rewritten: {SubsetFile} (rebuild to embed it)");
            return;
        }

        using var stream = typeof(PveSchema).Assembly.GetManifestResourceStream(PveSchema.ResourceName)!;
        var embedded = new StreamReader(stream).ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(embedded == generated.Json,
            $"the embedded schema subset is stale (routes changed or ../shared schema changed) - {SchemaSubset.RegenerateHint}");
    }

    [Fact]
    public void EveryServedRoute_HasItsSchemaEmbedded()
    {
        var missing = SimulatorServer.ServedRoutes.Where(r => !PveSchema.Embedded.Contains(r.Method, r.Template)).ToList();
        Assert.True(missing.Count == 0, $"served routes without embedded schema: {string.Join(", ", missing)} - {SchemaSubset.RegenerateHint}");
    }

    [Fact]
    public void NumberedParameterFamilies_HaveKnownCounts()
    {
        using var stream = typeof(PveSchema).Assembly.GetManifestResourceStream(PveSchema.ResourceName)!;
        var text = new StreamReader(stream).ReadToEnd();
        var families = System.Text.RegularExpressions.Regex.Matches(text, "\"([a-z]+)\\[n\\]\"").Select(m => m.Groups[1].Value).Distinct();
        Assert.All(families, f => Assert.True(SchemaCompiler.FamilyCounts.ContainsKey(f), $"add the count of '{f}[n]' to SchemaCompiler.FamilyCounts"));
    }
}
