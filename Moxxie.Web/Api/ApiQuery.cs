using Moxxie.Core.Validation;

namespace Moxxie.Web.Api;

/// <summary>Query parsing with per-field validation errors (binding failures must produce VALIDATION_ERROR, not a bare 400).</summary>
public static class ApiQuery
{
    public static int? Limit(string? text, int? fallback, Dictionary<string, string> errors, int max = 1000)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 1 || value > max)
        {
            errors["limit"] = $"Must be a whole number between 1 and {max}.";
            return null;
        }
        return value;
    }

    /// <summary>A 1-based page number, or null when not given.</summary>
    public static int? Page(string? text, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            errors["page"] = "Must be a whole number from 1.";
            return null;
        }
        return value;
    }

    public static IReadOnlyList<string> List(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static void ThrowIfAny(Dictionary<string, string> errors)
    {
        if (errors.Count > 0)
            throw new ValidationException("The request is invalid.", errors);
    }
}
