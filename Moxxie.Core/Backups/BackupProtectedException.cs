namespace Moxxie.Core.Backups;

/// <summary>Moxxie refused to delete a protected backup before asking PVE (the API answers 409 CONFLICT). The message
/// is PVE's own refusal text, so the user reads the same words whichever side refused.</summary>
public sealed class BackupProtectedException(string message) : Exception(message);
