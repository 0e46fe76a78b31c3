namespace Moxxie.Core.Storage;

/// <summary>Outcome of an upload or enable/disable: PVE's message when it refused, the UPID when a task started.</summary>
public sealed record StorageActionResult(bool Success, string Message, string? Upid = null);

/// <summary>What to upload where: content is "iso" or "vztmpl"; length when known (drives the progress bar).</summary>
public sealed record StorageUploadRequest(string Connection, string Storage, string Node, string Content, string FileName, long? Length);
