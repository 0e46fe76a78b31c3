using Moxxie.Core.Proxmox;
using Moxxie.Core.Tasks;
using Xunit;

namespace Moxxie.Tests.Unit.Tasks;

public sealed class TaskParsingTests
{
    [Fact]
    public void Upid_IsDecoded()
    {
        var upid = Upid.Parse("UPID:pve:0000087A:00009CA0:5FBE5DE8:qmstart:100:root@pam:");

        Assert.Equal(("pve", 0x87A, 0x9CA0L, "qmstart", "100", "root@pam"), (upid.Node, upid.Pid, upid.PStart, upid.Type, upid.Id, upid.User));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(0x5FBE5DE8), upid.StartTime);
    }

    [Fact]
    public void Upid_WithEmptyIdAndTokenUser_IsDecoded()
    {
        var upid = Upid.Parse("UPID:iaclab-01-01:00000DD3:1C419D88A:6119FB65:aptupdate::root@pam!moxxie:");

        Assert.Null(upid.Id);
        Assert.Equal("root@pam!moxxie", upid.User);
        Assert.Equal(0x1C419D88AL, upid.PStart);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPID:pve:xyz:1:2:qmstart:100:root@pam:")]
    [InlineData("not-a-upid")]
    [InlineData("UPID:pve:0000087A:00009CA0")]
    public void Upid_Garbage_IsRejected(string text) => Assert.False(Upid.TryParse(text, out _));

    [Theory]
    [InlineData("INFO:  45% (4.5 GiB of 10.0 GiB) in 10s, read: 450.0 MiB/s", 45)]
    [InlineData("drive-scsi0: transferred 1.0 GiB of 32.0 GiB (3.12%) in 4s", 3)]
    [InlineData("progress 100%", 100)]
    [InlineData("starting VM 101 on proxmox-01", null)]
    [InlineData("TASK OK", null)]
    public void Progress_IsReadFromLogLines(string line, int? percent) => Assert.Equal(percent, TaskProgress.FromLine(line));

    [Fact]
    public void Progress_OfALog_IsTheLastLineThatCarriesOne()
    {
        TaskLogLine[] log = [new(1, "INFO: 10% done"), new(2, "INFO: 60% done"), new(3, "INFO: writing index")];

        Assert.Equal(60, TaskProgress.FromLog(log));
        Assert.Null(TaskProgress.FromLog([new(1, "no content")]));
    }
}
