namespace Moxxie.Simulator.Model;

/// <summary>An error PVE reports in the HTTP status line (reason phrase) with body {"data":null[,"errors":…]}.</summary>
internal sealed class PveError(int status, string reason, IReadOnlyDictionary<string, string>? errors = null) : Exception(reason)
{
    public int Status { get; } = status;
    public string Reason { get; } = reason;
    public IReadOnlyDictionary<string, string>? Errors { get; } = errors;

    public static PveError Server(string message) => new(500, message);

    public static PveError ParameterVerification(IReadOnlyDictionary<string, string> errors) =>
        new(400, "Parameter verification failed.", errors);

    public static PveError Param(string name, string message) =>
        ParameterVerification(new Dictionary<string, string> { [name] = message });
}
