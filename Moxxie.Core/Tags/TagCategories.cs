namespace Moxxie.Core.Tags;

/// <summary>Categories of the guide's tag conventions (env-prod, client-acme, web-tier, always-on, k8s-worker …).</summary>
public enum TagCategory { Environment, Client, Tier, Criticality, Kubernetes, Other }

/// <summary>Which category a tag belongs to and the colour the guide gives it. PVE tags are lower case.</summary>
public static class TagCategories
{
    private static readonly string[] CriticalityTags = ["always-on", "critical", "ha", "no-shutdown"];

    public static TagCategory Of(string tag)
    {
        var t = (tag ?? "").Trim().ToLowerInvariant();
        if (t.StartsWith("env-", StringComparison.Ordinal)) return TagCategory.Environment;
        if (t.StartsWith("client-", StringComparison.Ordinal)) return TagCategory.Client;
        if (t.StartsWith("k8s-", StringComparison.Ordinal) || t.StartsWith("talos-", StringComparison.Ordinal)) return TagCategory.Kubernetes;
        if (t.EndsWith("-tier", StringComparison.Ordinal) || t.StartsWith("tier-", StringComparison.Ordinal)) return TagCategory.Tier;
        if (CriticalityTags.Contains(t) || t.StartsWith("ha-", StringComparison.Ordinal)) return TagCategory.Criticality;
        return TagCategory.Other;
    }

    /// <summary>The name the API uses ("environment", "client", "tier", "criticality", "kubernetes", "other").</summary>
    public static string Name(TagCategory category) => category.ToString().ToLowerInvariant();

    /// <summary>Hex colour of a tag: production and criticality red, other environments green/orange, clients blue,
    /// tiers teal, Kubernetes purple, the rest grey.</summary>
    public static string Color(string tag)
    {
        var t = (tag ?? "").Trim().ToLowerInvariant();
        return Of(t) switch
        {
            TagCategory.Environment => t switch
            {
                "env-prod" or "env-production" => "#d32f2f",
                "env-staging" or "env-stage" or "env-uat" => "#f57c00",
                _ => "#388e3c",
            },
            TagCategory.Client => "#1976d2",
            TagCategory.Tier => "#00796b",
            TagCategory.Criticality => "#d32f2f",
            TagCategory.Kubernetes => "#7b1fa2",
            _ => "#616161",
        };
    }
}
