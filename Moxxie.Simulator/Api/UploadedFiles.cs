using System.Collections.Concurrent;

namespace Moxxie.Simulator.Api;

/// <summary>
/// Files received in multipart uploads, as pveproxy spools them to /var/tmp/pveupload-… before calling the API method
/// with "tmpfilename"; the simulator keeps only their size (the content is discarded).
/// </summary>
internal static class UploadedFiles
{
    private static readonly ConcurrentDictionary<string, long> Sizes = new(StringComparer.Ordinal);

    public static string Register(long size)
    {
        var name = $"/var/tmp/pveupload-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}";
        Sizes[name] = size;
        return name;
    }

    public static long? Take(string tmpfilename) => Sizes.TryRemove(tmpfilename, out var size) ? size : null;
}
