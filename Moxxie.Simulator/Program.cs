using System.Globalization;

namespace Moxxie.Simulator;

/// <summary>
/// Standalone simulator:
/// dotnet run --project Moxxie.Simulator -- --urls https://127.0.0.1:8006 --preset small --seed 1 --token 'root@pam!moxxie=SECRET'
/// </summary>
internal static class Program
{
    private const string Help = """
        Moxxie.Simulator - a fake Proxmox VE cluster speaking /api2/json over HTTPS

          --urls URL            listen address (default https://127.0.0.1:8006; port 0 = any free port)
          --preset NAME         small (alias demo): 3-node production-cluster, ~30 guests
                                large: 16 nodes, 3,400 guests;  single: one standalone node "pve"
          --seed N              same seed -> same cluster, pids and counters (default 1)
          --token ID=SECRET     API token, e.g. 'root@pam!moxxie=SECRET' (generated when omitted)
          --password PW         root@pam password for POST /access/ticket (generated when omitted)
          --task-speed X        task durations are divided by X (default 1)
          --no-delay            no 3 s delay on 401 answers (PVE delays them)
          --cluster-name NAME   rename the cluster (tell several simulators apart)
          --node-prefix P       large: nodes P01..P16 (default pve)
          --vmid-base N         large: VMIDs in [N, N+10000) (default 1000)

        Runtime control (faults, node off-line, storage usage, failing tasks, API down, clock) under /_sim/ with the same token;
        see README.md, section "Simulator".
        """;

    private static async Task<int> Main(string[] args)
    {
        var options = new SimulatorOptions { Url = "https://127.0.0.1:8006", DelayUnauthorized = true };
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
                switch (arg)
                {
                    case "--urls" or "--url": options.Url = Next().Split(';')[0]; break;
                    case "--preset": options.Preset = Next(); break;
                    case "--seed": options.Seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--token": options.Token = Next(); break;
                    case "--password": options.RootPassword = Next(); break;
                    case "--task-speed": options.TaskSpeed = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--task-seconds": options.TaskSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--no-delay": options.DelayUnauthorized = false; break;
                    case "--cluster-name": options.ClusterName = Next(); break;
                    case "--node-prefix": options.NodePrefix = Next(); break;
                    case "--vmid-base": options.VmidBase = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "-h" or "--help":
                        Console.WriteLine(Help);
                        return 0;
                    default:
                        throw new ArgumentException($"unknown argument '{arg}' (try --help)");
                }
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        await using var server = await SimulatorServer.StartAsync(options, standalone: true, CancellationToken.None);
        var guests = server.Cluster.Guests;
        Console.WriteLine($"Proxmox VE simulator ({options.Preset}, seed {options.Seed}) listening on {server.BaseUrl}api2/json/");
        Console.WriteLine($"  cluster {server.Cluster.Name ?? "(standalone node)"}: {server.Cluster.NodeNames.Count} nodes, " +
                          $"{guests.Count} guests (VMIDs {guests.Min(g => g.Vmid)}-{guests.Max(g => g.Vmid)}); started in {server.StartupTime.TotalMilliseconds:F0} ms");
        Console.WriteLine($"  certificate fingerprint (SHA-256): {server.CertificateFingerprint}");
        Console.WriteLine($"  API token:      {server.TokenId}={server.TokenSecret}");
        Console.WriteLine($"  root@pam password: {server.RootPassword}");
        Console.WriteLine($"  runtime control: {server.BaseUrl}_sim/faults (Authorization: Bearer <token secret>)");
        Console.WriteLine("Press Ctrl+C to stop.");
        await server.WaitForShutdownAsync();
        return 0;
    }
}
