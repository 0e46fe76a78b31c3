using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Moxxie.Web.Hosting;
using Xunit;

namespace Moxxie.Tests.Integration.Hosting;

/// <summary>Where Moxxie listens: the README's http://localhost:8080 unless an address is configured, and then the
/// configured one, ASPNETCORE_URLS included (appsettings.json's "Urls" used to override it).</summary>
public sealed class ListenAddressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Nothing_configured_listens_on_the_readme_port_and_any_address_setting_replaces_it()
    {
        static string? For(params (string Key, string Value)[] settings) =>
            DefaultUrls.For(new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build());

        Assert.Equal("http://localhost:8080", For());
        Assert.Null(For(("urls", "http://0.0.0.0:9000")));
        Assert.Null(For(("http_ports", "8081")));
        Assert.Null(For(("https_ports", "8443")));
        Assert.Null(For(("Kestrel:Endpoints:Http:Url", "http://127.0.0.1:9001")));
        Assert.Equal("http://localhost:8080", For(("urls", " ")));
    }

    [Fact]
    public async Task Aspnetcore_urls_is_where_the_app_answers()
    {
        var port = FreePort();
        var data = Path.Combine(Path.GetTempPath(), "moxxie-urls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "Moxxie.Web.exe" : "Moxxie.Web"))
        {
            WorkingDirectory = AppContext.BaseDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Moxxie__DataDirectory"] = data;
        info.Environment["Moxxie__Admin__Password"] = "Listen-Address-Pa55word!";
        info.Environment["Moxxie__Demo__Enabled"] = "false";
        info.Environment["Moxxie__Scheduler__Enabled"] = "false";
        info.Environment["Moxxie__Bulk__Enabled"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Moxxie.Web did not start");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            HttpStatusCode? status = null;
            while (status is null && !process.HasExited && DateTime.UtcNow < deadline)
            {
                try { status = (await client.GetAsync("healthz", Ct)).StatusCode; }
                catch (HttpRequestException) { await Task.Delay(200, Ct); }
            }
            string Log() { lock (output) return output.ToString(); }
            Assert.True(status == HttpStatusCode.OK, $"no answer on ASPNETCORE_URLS' port {port} (status {status}, exited {process.HasExited}):\n{Log()}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
            try { Directory.Delete(data, recursive: true); }
            catch (IOException) { /* temp folder */ }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
