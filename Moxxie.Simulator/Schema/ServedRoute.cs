namespace Moxxie.Simulator.Schema;

/// <summary>One method the simulator serves: "GET" + "nodes/{node}/qemu" (template relative to /api2/json).</summary>
public sealed record ServedRoute(string Method, string Template)
{
    /// <summary>The schema path ("/nodes/{node}/qemu").</summary>
    public string Path => "/" + Template.Trim('/');

    public override string ToString() => $"{Method} {Path}";
}
