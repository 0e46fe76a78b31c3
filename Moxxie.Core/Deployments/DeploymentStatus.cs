namespace Moxxie.Core.Deployments;

/// <summary>Deployment states and event levels, as seed 002 names them.</summary>
public static class DeploymentStatus
{
    public const string Requested = "REQUESTED";
    public const string Provisioning = "PROVISIONING";
    public const string Active = "ACTIVE";
    public const string Error = "ERROR";

    public const string Info = "INFO";
    public const string Warn = "WARN";
    public const string ErrorLevel = "ERROR";

    public static bool IsFinal(string status) => status is Active or Error;
}
