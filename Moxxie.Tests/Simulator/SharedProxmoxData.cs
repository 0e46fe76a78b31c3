using System.Text.Json.Nodes;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// Finds ../shared/proxmox (next to the folder holding Moxxie.sln; env MOXXIE_SHARED overrides the shared folder)
/// and reads recorded PVE fixtures from it at run time. Nothing from there is copied into the repository.
/// When the folder is missing, tests that need it call <see cref="RequireOrSkip"/>: with CI=true that fails the test,
/// elsewhere the test is skipped with a visible "[contract] SKIPPED …" reason.
/// </summary>
public static class SharedProxmoxData
{
    private static readonly Lazy<(string? Directory, string? Missing)> Located = new(Locate);

    public static bool Available => Located.Value.Directory is not null;

    /// <summary>Why the shared data is missing (null when it was found).</summary>
    public static string? MissingReason => Located.Value.Missing;

    public static string ProxmoxDirectory => Located.Value.Directory ?? throw new InvalidOperationException(MissingReason);

    public static string FixturesDirectory => Path.Combine(ProxmoxDirectory, "fixtures");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A recorded fixture; skips (or fails with CI=true) the calling test when the shared folder is missing.</summary>
    public static JsonObject Fixture(string relativePath)
    {
        RequireOrSkip();
        var path = Path.Combine(FixturesDirectory, relativePath);
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    /// <summary>Fixture files relative to fixtures/ with '/' separators, sorted (empty when the folder is missing).</summary>
    public static IReadOnlyList<string> FixtureFiles() =>
        !Available ? [] :
        [.. Directory.EnumerateFiles(FixturesDirectory, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(FixturesDirectory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>Fails (CI=true) or skips the current test when ../shared/proxmox is missing.</summary>
    public static void RequireOrSkip()
    {
        if (Available) return;
        var line = $"[contract] SKIPPED: {MissingReason}";
        if (IsCi) Assert.Fail($"[contract] FAILED (CI=true, the contract suite needs the shared PVE data): {MissingReason}");
        Console.WriteLine(line);
        Assert.Skip(line);
    }

    private static (string?, string?) Locate()
    {
        var shared = Environment.GetEnvironmentVariable("MOXXIE_SHARED");
        if (string.IsNullOrEmpty(shared))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moxxie.sln"))) dir = dir.Parent;
            if (dir?.Parent is null)
                return (null, "Moxxie.sln not found above the test binaries; set MOXXIE_SHARED to the shared folder.");
            shared = Path.Combine(dir.Parent.FullName, "shared");
        }
        var proxmox = Path.Combine(shared, "proxmox");
        return Directory.Exists(Path.Combine(proxmox, "fixtures"))
            ? (proxmox, null)
            : (null, $"no PVE fixtures at '{proxmox}/fixtures' (set MOXXIE_SHARED to the shared folder).");
    }
}
