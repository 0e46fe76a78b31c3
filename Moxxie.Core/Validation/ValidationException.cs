namespace Moxxie.Core.Validation;

/// <summary>Input was refused before anything was sent anywhere. <see cref="Errors"/> maps a field name (as the API
/// and forms name it) to a human message; the API renders it as VALIDATION_ERROR with these details.</summary>
public sealed class ValidationException(string message, IReadOnlyDictionary<string, string> errors) : Exception(message)
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;

    public static ValidationException For(string field, string message) => new(message, new Dictionary<string, string> { [field] = message });
}
