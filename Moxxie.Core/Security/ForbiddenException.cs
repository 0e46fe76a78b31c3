namespace Moxxie.Core.Security;

/// <summary>The actor may not do this. The server refuses regardless of what the UI showed.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
