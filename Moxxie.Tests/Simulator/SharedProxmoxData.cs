using System.Text.Json.Nodes;

namespace Moxxie.Tests.Simulator;

/// <summary>
/// Finds ../shared/proxmox (next to the folder holding Moxxie.sln; env MOXXIE_SHARED overrides the shared folder)
/// and reads recorded PVE fixtures from it at run time. Nothing from there is copied into the repository.
/// </summary>
public static class SharedProxmoxData
{
    public static string ProxmoxDirectory { get; } = Locate();

    public static JsonObject Fixture(string relativePath)
    {
        var path = Path.Combine(ProxmoxDirectory, "fixtures", relativePath);
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    private static string Locate()
    {
        var shared = Environment.GetEnvironmentVariable("MOXXIE_SHARED");
        if (string.IsNullOrEmpty(shared))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moxxie.sln"))) dir = dir.Parent;
            if (dir?.Parent is null)
                throw new InvalidOperationException("Moxxie.sln not found above the test binaries; set MOXXIE_SHARED to the shared folder.");
            shared = Path.Combine(dir.Parent.FullName, "shared");
        }
        var proxmox = Path.Combine(shared, "proxmox");
        if (!Directory.Exists(Path.Combine(proxmox, "fixtures")))
            throw new InvalidOperationException($"No PVE fixtures at '{proxmox}/fixtures' (set MOXXIE_SHARED to the shared folder).");
        return proxmox;
    }
}
