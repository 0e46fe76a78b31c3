using Moxxie.Core.Deployments;
using Moxxie.Core.Proxmox;
using Xunit;

namespace Moxxie.Tests.Unit.Deployments;

public sealed class DeploymentRulesTests
{
    [Theory]
    [InlineData("web-01", true)]
    [InlineData("web.example.net", true)]
    [InlineData("a", true)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("web_01", false)]
    [InlineData("web 01", false)]
    [InlineData("", false)]
    public void Name_FollowsPvesDnsNameFormat(string name, bool valid) => Assert.Equal(valid, DeploymentRules.NameError(name) is null);

    [Theory]
    [InlineData("ip=dhcp", true)]
    [InlineData("ip=10.0.0.5/24,gw=10.0.0.1", true)]
    [InlineData("ip=10.0.0.5/24,gw=10.0.0.1,ip6=auto", true)]
    [InlineData("ip6=2001:db8::5/64,gw6=2001:db8::1", true)]
    [InlineData("ip=10.0.0.5", false)]
    [InlineData("ip=10.0.0.5/33", false)]
    [InlineData("gw=10.0.0.1", false)]
    [InlineData("ip=dhcp,ip=dhcp", false)]
    [InlineData("dhcp", false)]
    public void IpConfig_AcceptsWhatPveAccepts(string value, bool valid) => Assert.Equal(valid, DeploymentRules.IpConfigError(value) is null);

    [Fact]
    public void SshKeys_AreCheckedPerLine_AndUrlEncodedAsPveStoresThem()
    {
        const string keys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g a@b\n\n  ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB c+d@e  \n";
        Assert.Null(DeploymentRules.SshKeysError(keys));
        Assert.Equal(2, DeploymentRules.KeyLines(keys).Count);
        var encoded = DeploymentRules.EncodeSshKeys(keys)!;
        Assert.Equal("ssh-ed25519%20AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g%20a%40b%0Assh-rsa%20AAAAB3NzaC1yc2EAAAADAQAB%20c%2Bd%40e%0A", encoded);
        Assert.Matches(@"^[-%a-zA-Z0-9_.!~*'()]*$", encoded);   // PVE's "urlencoded" format
        Assert.Contains("Line 2", DeploymentRules.SshKeysError("ssh-ed25519 AAAA a@b\nhello world"));
        Assert.Null(DeploymentRules.EncodeSshKeys("  \n"));
    }

    [Fact]
    public void Election_PicksTheOnlineNodeWithMostFreeMemory_AmongThoseThatCanTakeTheClone()
    {
        const long GiB = 1L << 30;
        NodeResource Node(string name, string status, long mem, long max) => new(name, status, 0.1, 8, mem, max, 0, 0, 100, null);
        StorageResource Storage(string node, string name, bool shared) => new(name, node, "available", 0, 100 * GiB, ["images"], shared, "rbd");
        var resources = new ClusterResources(
            [],
            [Node("pve1", "online", 60 * GiB, 64 * GiB), Node("pve2", "online", 10 * GiB, 64 * GiB), Node("pve3", "offline", 0, 128 * GiB), Node("pve4", "online", 1 * GiB, 64 * GiB)],
            [Storage("pve1", "local-zfs", false), Storage("pve2", "local-zfs", false), Storage("pve1", "ceph", true), Storage("pve2", "ceph", true), Storage("pve3", "ceph", true)]);

        // Local storage: only the source's node can take the clone.
        Assert.Equal(["pve1"], NodeElection.Candidates(resources, "pve1", ["local-zfs"]).Select(n => n.Node));
        // Shared storage: pve2 (54 GiB free) beats pve1 (4 GiB); pve3 is offline, pve4 lacks the storage but is not the source.
        var candidates = NodeElection.Candidates(resources, "pve1", ["ceph"]);
        Assert.Equal(["pve1", "pve2"], candidates.Select(n => n.Node));
        Assert.Equal("pve2", NodeElection.Elect(candidates)!.Node);
        Assert.Null(NodeElection.Elect([]));
    }
}
