using System.Net;
using Moxxie.Core.Proxmox;

namespace Moxxie.Infrastructure.Proxmox;

/// <summary>Streams a file to PVE in 64 KiB chunks and reports the bytes sent (without buffering the file).</summary>
internal sealed class ProgressStreamContent(Stream data, long? length, IProgress<UploadProgress>? progress) : HttpContent
{
    private const int ChunkSize = 64 * 1024;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        long sent = 0;
        progress?.Report(new UploadProgress(0, length));
        int read;
        while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            sent += read;
            progress?.Report(new UploadProgress(sent, length));
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length1)
    {
        if (length is { } l)
        {
            length1 = l;
            return true;
        }
        length1 = 0;
        return false;
    }
}
