namespace Moxxie.Simulator.Faults;

/// <summary>Reason phrases PVE (pveproxy/pvedaemon, AnyEvent::HTTP for proxied calls) sends for a status, when a fault names none.</summary>
internal static class PveErrorMessages
{
    public static string For(int status) => status switch
    {
        400 => "Parameter verification failed.",
        401 => "Authentication failed!",
        403 => "Permission check failed",
        500 => "cluster not ready - no quorum?",
        501 => "Method not implemented",
        503 => "Service Unavailable",
        595 => "Connection timed out",
        596 => "Broken pipe",
        597 => "Connection reset by peer",
        598 => "Request cancelled",
        599 => "Connection refused",
        _ => "internal error",
    };
}
