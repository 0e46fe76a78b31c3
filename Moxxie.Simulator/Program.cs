using System.Globalization;

namespace Moxxie.Simulator;

/// <summary>
/// Standalone simulator:
/// dotnet run --project Moxxie.Simulator -- --urls https://127.0.0.1:8006 --preset small --seed 1 --token 'root@pam!moxxie=SECRET'
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var options = new SimulatorOptions { Url = "https://127.0.0.1:8006", DelayUnauthorized = true };
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
                case "--no-delay": options.DelayUnauthorized = false; break;
                case "-h" or "--help":
                    Console.WriteLine("Moxxie.Simulator – a fake Proxmox VE cluster on /api2/json");
                    Console.WriteLine("  --urls https://127.0.0.1:8006  --preset small|demo|large|single  --seed N  --token 'user@realm!id=SECRET'");
                    Console.WriteLine("  --password ROOTPW  --task-speed X  --no-delay (no 3 s delay on 401)");
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument '{arg}' (try --help)");
                    return 2;
            }
        }

        await using var server = await SimulatorServer.StartAsync(options, standalone: true, CancellationToken.None);
        Console.WriteLine($"Proxmox VE simulator ({options.Preset}, seed {options.Seed}) listening on {server.BaseUrl}api2/json/");
        Console.WriteLine($"  certificate fingerprint (SHA-256): {server.CertificateFingerprint}");
        Console.WriteLine($"  API token:      {server.TokenId}={server.TokenSecret}");
        Console.WriteLine($"  root@pam password: {server.RootPassword}");
        Console.WriteLine("Press Ctrl+C to stop.");
        await server.WaitForShutdownAsync();
        return 0;
    }
}
