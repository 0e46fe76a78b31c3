using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Moxxie.Simulator;

namespace Moxxie.Tests.Integration.Bulk;

/// <summary>Moxxie.Web run as its own OS process (the build output next to the tests) against a simulator and a
/// PostgreSQL database, so a test can kill it with SIGKILL and start it again.</summary>
public sealed class MoxxieProcess : IAsyncDisposable
{
    public const string AdminPassword = "Crash-Admin-Pa55word!";
    private readonly Process _process;
    private readonly string _dataDirectory;

    private MoxxieProcess(Process process, Uri baseAddress, string dataDirectory, string logPath)
    {
        _process = process;
        LogPath = logPath;
        BaseAddress = baseAddress;
        _dataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }

    /// <summary>The process's console output (warnings and errors).</summary>
    public string LogPath { get; }

    /// <summary>Lines of the process's output containing <paramref name="text"/> so far (figures).</summary>
    public int LogLines(string text)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var n = 0;
        while (reader.ReadLine() is { } line)
            if (line.Contains(text, StringComparison.Ordinal)) n++;
        return n;
    }

    public int Id => _process.Id;

    /// <summary>CPU time the process has used so far (figures only).</summary>
    public TimeSpan Cpu
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    public static MoxxieProcess Start(SimulatorServer simulator, string connectionString, string instanceId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "moxxie-proc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Moxxie.Web.exe" : "Moxxie.Web"))
        {
            WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}", ["Urls"] = $"http://127.0.0.1:{port}", ["ASPNETCORE_ENVIRONMENT"] = "Development", ["DOTNET_gcServer"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Moxxie__Demo__Enabled"] = "false", ["Moxxie__DataDirectory"] = dataDirectory,
            ["Moxxie__Database__Provider"] = "Postgres", ["ConnectionStrings__Moxxie"] = connectionString,
            ["Moxxie__Admin__Password"] = AdminPassword,
            ["Moxxie__Proxmox__Connections__0__Name"] = "bulk", ["Moxxie__Proxmox__Connections__0__Url"] = simulator.BaseUrl.ToString(),
            ["Moxxie__Proxmox__Connections__0__TokenId"] = simulator.TokenId, ["Moxxie__Proxmox__Connections__0__TokenSecret"] = simulator.TokenSecret,
            ["Moxxie__Proxmox__Connections__0__Fingerprint"] = simulator.CertificateFingerprint,
            ["Moxxie__Bulk__InstanceId"] = instanceId, ["Moxxie__Bulk__Lease"] = "00:00:30", ["Moxxie__Bulk__PollInterval"] = "00:00:00.2",
            ["Moxxie__Bulk__FollowInterval"] = "00:00:00.2",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) env[k] = v;
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Moxxie.Web did not start");
        var logPath = Path.GetFullPath(Path.Combine(dataDirectory, "..", $"moxxie-proc-{instanceId}-{port}.log"));
        var log = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        void Write(string? line)
        {
            if (line is null) return;
            lock (log) log.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new MoxxieProcess(process, new Uri($"http://127.0.0.1:{port}/"), dataDirectory, logPath);
    }

    /// <summary>Waits until the API answers and the inventory holds <paramref name="guests"/> VMs; returns an admin client.</summary>
    public async Task<HttpClient> ReadyAsync(int guests, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Moxxie.Web exited with {_process.ExitCode}");
            try
            {
                if (client.DefaultRequestHeaders.Authorization is null)
                {
                    using var r = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = AdminPassword }, ct);
                    if (r.StatusCode == HttpStatusCode.OK)
                        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                            (await r.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString());
                }
                if (client.DefaultRequestHeaders.Authorization is not null
                    && (await client.GetFromJsonAsync<JsonElement>("/api/v1/vms?limit=1000&tags=bulk", ct)).GetArrayLength() >= guests)
                    return client;
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Moxxie.Web at {BaseAddress} not ready within {timeout}");
            await Task.Delay(200, ct);
        }
    }

    /// <summary>SIGKILL: no shutdown, no finally blocks, no lease release.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(30_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
