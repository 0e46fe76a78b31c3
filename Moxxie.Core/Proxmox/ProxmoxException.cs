namespace Moxxie.Core.Proxmox;

/// <summary>
/// A call to Proxmox VE failed. <see cref="Exception.Message"/> is PVE's own message (the HTTP reason phrase, e.g.
/// "Configuration file 'nodes/pve/qemu-server/100.conf' does not exist"), or a transport failure described plainly.
/// <see cref="ParameterErrors"/> carries PVE's per-parameter errors of a 400 "Parameter verification failed.".
/// </summary>
public sealed class ProxmoxException : Exception
{
    public ProxmoxException(string connection, int? statusCode, string message, IReadOnlyDictionary<string, string>? parameterErrors = null, Exception? inner = null)
        : base(message, inner)
    {
        Connection = connection;
        StatusCode = statusCode;
        ParameterErrors = parameterErrors ?? new Dictionary<string, string>();
    }

    public string Connection { get; }

    /// <summary>HTTP status PVE answered with; null when PVE could not be reached (DNS, TLS, timeout, circuit open).</summary>
    public int? StatusCode { get; }

    public IReadOnlyDictionary<string, string> ParameterErrors { get; }

    public bool Unreachable => StatusCode is null;
}
