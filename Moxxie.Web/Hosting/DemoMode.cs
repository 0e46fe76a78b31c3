namespace Moxxie.Web.Hosting;

/// <summary>
/// Demo mode: when enabled (default when no PVE connection is configured) the simulator starts in-process on a loopback
/// HTTPS port with a self-signed certificate, and is added as a configured connection with its fingerprint pinned,
/// so Moxxie reaches it through its real PVE client.
/// </summary>
public static class DemoMode
{
    public static Task StartIfEnabledAsync(WebApplicationBuilder builder)
    {
        // TODO(lead): start Moxxie.Simulator in-process
        return Task.CompletedTask;
    }
}
