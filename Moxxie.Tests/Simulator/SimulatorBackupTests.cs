using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Moxxie.Tests.Simulator;

/// <summary>vzdump (lock "backup", vzdump-like log, archive in the storage content with notes/protected), prune, extractconfig
/// and qmrestore over HTTPS.</summary>
public sealed class SimulatorBackupTests : IAsyncLifetime
{
    private SimulatorHarness _sim = null!;
    private SimulatorGuestApi _api = null!;

    public async ValueTask InitializeAsync()
    {
        _sim = await SimulatorHarness.StartAsync(taskSpeed: 40);
        _api = new SimulatorGuestApi(_sim.WithToken());
    }

    public ValueTask DisposeAsync() => _sim.DisposeAsync();

    private static Dictionary<string, string> Form(params (string, string)[] p) => SimulatorGuestApi.Form(p);

    private async Task<JsonArray> BackupsAsync(int vmid, string node = "proxmox-01") =>
        (await _api.Http.GetJsonAsync($"nodes/{node}/storage/backup-nas/content?content=backup&vmid={vmid}")).Data!.AsArray();

    private async Task<JsonNode> StatusAsync(int vmid, string node = "proxmox-01", string type = "qemu") =>
        (await _api.Http.GetJsonAsync($"nodes/{node}/{type}/{vmid}/status/current")).Data!;

    [Fact]
    public async Task Vzdump_LocksTheVm_LogsLikeVzdump_AndAddsTheArchiveWithNotesAndProtection()
    {
        var before = (await BackupsAsync(101)).Count;
        var upid = await _api.UpidAsync(HttpMethod.Post, "nodes/proxmox-01/vzdump", Form(("vmid", "101"), ("storage", "backup-nas"), ("mode", "snapshot"),
            ("compress", "zstd"), ("notes-template", "{{guestname}} on {{node}}"), ("protected", "1"), ("remove", "0")));
        Assert.Contains(":vzdump:101:root@pam!moxxie:", upid);
        Assert.Equal("backup", (await StatusAsync(101))["lock"]!.GetValue<string>());

        var stop = await _api.PostAsync("nodes/proxmox-01/qemu/101/status/stop");
        Assert.Equal("VM is locked (backup)", await _api.WaitAsync(stop));
        Assert.Equal("running", (await StatusAsync(101))["status"]!.GetValue<string>());

        Assert.Equal("OK", await _api.WaitAsync(upid, TimeSpan.FromSeconds(30)));
        Assert.Null((await StatusAsync(101))["lock"]);
        var log = await _api.LogAsync(upid);
        Assert.StartsWith("INFO: starting new backup job: vzdump 101 --compress zstd --mode snapshot --node proxmox-01 --notes-template '{{guestname}} on {{node}}'", log[0]);
        Assert.Contains("INFO: Starting Backup of VM 101 (qemu)", log);
        Assert.Contains("INFO: VM Name: web-server-01", log);
        Assert.Contains("INFO: include disk 'scsi0' 'local-zfs:vm-101-disk-0' 50G", log);
        Assert.Contains(log, l => Regex.IsMatch(l, @"^INFO:\s+\d{1,3}% \(\d+\.\d \w+ of 50\.0 GiB\) in \d+s?.*, read: .+/s, write: .+/s$"));
        Assert.Contains(log, l => Regex.IsMatch(l, @"^INFO: archive file size: \d+(\.\d\d)?[KMG]B$"));
        Assert.Contains("INFO: adding notes to backup", log);
        Assert.Contains("INFO: marking backup as protected", log);
        Assert.Contains(log, l => Regex.IsMatch(l, @"^INFO: Finished Backup of VM 101 \(\d\d:\d\d:\d\d\)$"));
        Assert.Equal(["INFO: Backup job finished successfully", "TASK OK"], log.TakeLast(2));
        Assert.DoesNotContain(log, l => l.Contains("prune", StringComparison.Ordinal));

        var backups = await BackupsAsync(101);
        Assert.Equal(before + 1, backups.Count);
        var made = backups.Select(b => b!.AsObject()).Single(b => b.ContainsKey("notes") && b["notes"]!.GetValue<string>() == "web-server-01 on proxmox-01");
        var m = Regex.Match(made["volid"]!.GetValue<string>(), @"^backup-nas:backup/vzdump-qemu-101-(\d{4})_(\d\d)_(\d\d)-(\d\d)_(\d\d)_(\d\d)\.vma\.zst$");
        Assert.True(m.Success, made["volid"]!.GetValue<string>());
        var stamp = new DateTimeOffset(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value),
            int.Parse(m.Groups[4].Value), int.Parse(m.Groups[5].Value), int.Parse(m.Groups[6].Value), TimeSpan.Zero);
        Assert.Equal(stamp.ToUnixTimeSeconds(), made["ctime"]!.GetValue<long>());
        Assert.Equal(("vma.zst", "qemu", 101, 1), (made["format"]!.GetValue<string>(), made["subtype"]!.GetValue<string>(), made["vmid"]!.GetValue<int>(), made["protected"]!.GetValue<int>()));
        Assert.True(made["size"]!.GetValue<long>() > 20L * 1024 * 1024);
        Assert.False(made.ContainsKey("verification"));

        var config = (await _api.Http.GetJsonAsync($"nodes/proxmox-02/vzdump/extractconfig?volume={Uri.EscapeDataString(made["volid"]!.GetValue<string>())}")).Data!.GetValue<string>();
        Assert.Contains("name: web-server-01\n", config);
        Assert.DoesNotContain("lock:", config);
        Assert.EndsWith("#qmdump#map:scsi0:drive-scsi0:local-zfs:raw:\n", config);
    }

    [Fact]
    public async Task Vzdump_WithRetention_PrunesWhatThePolicyRemoves_ButNeverAProtectedBackup()
    {
        var old = await BackupsAsync(101);
        Assert.Contains(old, b => b!["protected"]?.GetValue<int>() == 1);
        var upid = await _api.PostAsync("nodes/proxmox-01/vzdump", ("vmid", "101"), ("storage", "backup-nas"), ("compress", "zstd"), ("prune-backups", "keep-last=2"));
        Assert.Equal("OK", await _api.WaitAsync(upid, TimeSpan.FromSeconds(30)));
        var log = await _api.LogAsync(upid);
        Assert.Contains("INFO: prune older backups with retention: keep-last=2", log);
        Assert.Single(log, l => l.StartsWith("INFO: removing backup 'backup-nas:backup/vzdump-qemu-101-", StringComparison.Ordinal));
        Assert.Contains("INFO: pruned 1 backup(s) not covered by keep-retention policy", log);
        var after = await BackupsAsync(101);
        Assert.Equal(3, after.Count);   // the new one, the newest old one, the protected oldest
        Assert.Contains(after, b => b!["protected"]?.GetValue<int>() == 1);
    }

    [Fact]
    public async Task Vzdump_SeveralGuests_SkipsExternalOnes_LocksEachInTurn_AndALockedGuestFailsTheJob()
    {
        _sim.Cluster.SetGuestLock(103, "snapshot");
        var upid = await _api.PostAsync("nodes/proxmox-01/vzdump", ("vmid", "200,103,104"), ("storage", "backup-nas"), ("mode", "snapshot"), ("compress", "lzo"));
        Assert.Contains(":vzdump::root@pam!moxxie:", upid);   // more than one local guest: no id
        Assert.Equal("job errors", await _api.WaitAsync(upid, TimeSpan.FromSeconds(30)));
        var log = await _api.LogAsync(upid);
        Assert.Contains("INFO: skip external VMs: 104", log);
        Assert.Contains("ERROR: Backup of VM 103 failed - VM is locked (snapshot)", log);
        Assert.Contains("INFO: CT Name: dns-01", log);
        Assert.Contains(log, l => Regex.IsMatch(l, @"^INFO: Total bytes written: \d+ \(\d+\.\dGiB|MiB"));
        Assert.Equal(["INFO: Backup job finished with errors", "TASK ERROR: job errors"], log.TakeLast(2));
        Assert.Contains(await BackupsAsync(200), b => b!["volid"]!.GetValue<string>().EndsWith(".tar.lzo", StringComparison.Ordinal));
        Assert.Equal("snapshot", _sim.Cluster.FindGuest(103)!.Lock);
        Assert.Null(_sim.Cluster.FindGuest(200)!.Lock);
    }

    [Fact]
    public async Task Vzdump_OfAGuestWhoseNextTaskFails_FailsLikePve_KeepsNoArchive_AndListsAFailedVzdumpTaskOfThatVm()
    {
        var before = (await BackupsAsync(101)).Count;
        _sim.Cluster.FailNextTask(101, "job failed with err -5 - Input/output error");
        var upid = await _api.PostAsync("nodes/proxmox-01/vzdump", ("vmid", "101"), ("storage", "backup-nas"), ("mode", "snapshot"));
        Assert.Contains(":vzdump:101:root@pam!moxxie:", upid);
        Assert.Equal("job errors", await _api.WaitAsync(upid, TimeSpan.FromSeconds(30)));

        var log = await _api.LogAsync(upid);
        Assert.Contains("INFO: Starting Backup of VM 101 (qemu)", log);
        var error = log.ToList().IndexOf("ERROR: job failed with err -5 - Input/output error");
        Assert.True(error > 0, string.Join('\n', log));
        Assert.Equal(["INFO: aborting backup job", "ERROR: Backup of VM 101 failed - job failed with err -5 - Input/output error"], log.Skip(error + 1).Take(2));
        Assert.Matches(@"^INFO: Failed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", log[error + 3]);
        Assert.DoesNotContain(log, l => l.StartsWith("INFO: Finished Backup of VM 101", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.StartsWith("INFO: archive file size", StringComparison.Ordinal));
        Assert.Equal(["INFO: Backup job finished with errors", "TASK ERROR: job errors"], log.TakeLast(2));
        Assert.Equal(before, (await BackupsAsync(101)).Count);
        Assert.Null((await StatusAsync(101))["lock"]);
        Assert.Equal("running", (await StatusAsync(101))["status"]!.GetValue<string>());

        // the task lists (node and cluster) show it as PVE does: type vzdump, id = the VMID, status = the exit status
        foreach (var path in new[] { "nodes/proxmox-01/tasks?vmid=101&typefilter=vzdump", "cluster/tasks" })
        {
            var entry = (await _api.Http.GetJsonAsync(path)).Data!.AsArray().Single(t => t!["upid"]!.GetValue<string>() == upid)!;
            Assert.Equal(("vzdump", "101", "proxmox-01", "job errors"),
                (entry["type"]!.GetValue<string>(), entry["id"]!.GetValue<string>(), entry["node"]!.GetValue<string>(), entry["status"]!.GetValue<string>()));
            Assert.True(entry["endtime"]!.GetValue<long>() >= entry["starttime"]!.GetValue<long>());
        }

        // the injected failure is used up: the next backup works
        var again = await _api.PostAsync("nodes/proxmox-01/vzdump", ("vmid", "101"), ("storage", "backup-nas"), ("mode", "snapshot"));
        Assert.Equal("OK", await _api.WaitAsync(again, TimeSpan.FromSeconds(30)));
        Assert.Equal(before + 1, (await BackupsAsync(101)).Count);
    }

    [Fact]
    public async Task Vzdump_StoppedTask_ReleasesTheLock()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/vzdump", ("vmid", "106"), ("storage", "backup-nas"));
        Assert.Equal("backup", _sim.Cluster.FindGuest(106)!.Lock);
        Assert.Equal(HttpStatusCode.OK, (await _api.Http.SendAsync(HttpMethod.Delete, $"nodes/proxmox-01/tasks/{Uri.EscapeDataString(upid)}")).Status);
        Assert.Equal("interrupted by signal", await _api.WaitAsync(upid));
        Assert.Null(_sim.Cluster.FindGuest(106)!.Lock);
        Assert.Contains("ERROR: Backup of VM 106 failed - interrupted by signal", await _api.LogAsync(upid));
    }

    [Theory]
    [InlineData("all=1&vmid=101", "all", "option conflicts with option 'vmid'")]
    [InlineData("storage=backup-nas", "vmid", "property is missing")]
    [InlineData("vmid=101&compress=bzip2", "compress", null)]
    [InlineData("vmid=101&mode=fast", "mode", null)]
    [InlineData("vmid=101&bwlimit=1000", "bwlimit", "Only root may set this option.")]
    [InlineData("vmid=101&notes-template=x", "storage", "missing property - 'notes-template' requires this property")]
    [InlineData("vmid=101&storage=backup-nas&notes-template=%7B%7Bfoo%7D%7D", "notes-template", "found unknown: variable 'foo'")]
    [InlineData("vmid=abc", "vmid", null)]
    public async Task Vzdump_InvalidCalls_Answer400(string form, string param, string? message)
    {
        var pairs = form.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        var r = await _api.Http.PostFormAsync("nodes/proxmox-01/vzdump", pairs);
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("Parameter verification failed.", r.Reason);
        var error = r.Body["errors"]![param]!.GetValue<string>();
        if (message is not null) Assert.Equal(message, error.TrimEnd('\n'));
    }

    [Fact]
    public async Task Vzdump_ToAStorageWithoutBackupContent_FailsInTheWorker()
    {
        var upid = await _api.PostAsync("nodes/proxmox-01/vzdump", ("vmid", "101"), ("storage", "local-zfs"));
        Assert.Equal("could not get storage information for 'local-zfs': can't use storage 'local-zfs' for backups - wrong content type", await _api.WaitAsync(upid));
        Assert.Null(_sim.Cluster.FindGuest(101)!.Lock);
    }

    [Fact]
    public async Task PruneBackups_DryRunMarksPerPveLogic_AndDeletePrunesAsATask()
    {
        var marks = (await _api.Http.GetJsonAsync("nodes/proxmox-01/storage/backup-nas/prunebackups?prune-backups=keep-last%3D1&vmid=101")).Data!.AsArray();
        Assert.Equal(3, marks.Count);
        var byTime = marks.OrderByDescending(x => x!["ctime"]!.GetValue<long>()).Select(x => x!["mark"]!.GetValue<string>()).ToList();
        Assert.Equal(["keep", "remove", "protected"], byTime);
        Assert.All(marks, x => Assert.Equal(("qemu", 101), (x!["type"]!.GetValue<string>(), x["vmid"]!.GetValue<int>())));

        var storagePolicy = (await _api.Http.GetJsonAsync("nodes/proxmox-01/storage/backup-nas/prunebackups?type=lxc")).Data!.AsArray();
        Assert.All(storagePolicy, x => Assert.Equal("lxc", x!["type"]!.GetValue<string>()));
        Assert.All(storagePolicy, x => Assert.NotEqual("remove", x!["mark"]!.GetValue<string>()));   // 3 daily backups under keep-last=3

        var upid = await _api.UpidAsync(HttpMethod.Delete, "nodes/proxmox-01/storage/backup-nas/prunebackups?prune-backups=keep-last%3D1&vmid=101");
        Assert.Contains(":prunebackups:101@backup-nas:", upid);
        Assert.Equal("OK", await _api.WaitAsync(upid));
        Assert.Single(await _api.LogAsync(upid), l => l.StartsWith("removing backup 'backup-nas:backup/vzdump-qemu-101-", StringComparison.Ordinal));
        Assert.Equal(2, (await BackupsAsync(101)).Count);

        var noBackups = await _api.Http.GetJsonAsync("nodes/proxmox-01/storage/local-zfs/prunebackups");
        Assert.Equal(("storage 'local-zfs' does not support backups", HttpStatusCode.InternalServerError), (noBackups.Reason, noBackups.Status));
        var bad = await _api.Http.GetJsonAsync("nodes/proxmox-01/storage/backup-nas/prunebackups?prune-backups=keep-last%3Dx");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.Body["errors"]!["prune-backups"]);
    }

    [Fact]
    public async Task Restore_RefusesAnExistingVmid_CreatesANewGuestFromTheArchive_AndForceReplacesAStoppedOne()
    {
        var archive = (await BackupsAsync(101))[0]!["volid"]!.GetValue<string>();
        var refused = await _api.Http.PostFormAsync("nodes/proxmox-01/qemu", Form(("vmid", "101"), ("archive", archive)));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.Status);
        Assert.Equal("unable to restore VM 101 - VM 101 already exists on node 'proxmox-01'", refused.Reason);

        var upid = await _api.PostAsync("nodes/proxmox-01/qemu", ("vmid", "150"), ("archive", archive), ("storage", "local-zfs"), ("unique", "1"));
        Assert.Contains(":qmrestore:150:", upid);
        Assert.Equal("create", _sim.Cluster.FindGuest(150)!.Lock);
        Assert.Equal("OK", await _api.WaitAsync(upid, TimeSpan.FromSeconds(30)));
        var log = await _api.LogAsync(upid);
        Assert.StartsWith("restore vma archive: zstd -q -d -c /mnt/pve/backup-nas/dump/vzdump-qemu-101-", log[0]);
        Assert.Contains("DEV: dev_id=1 size: 53687091200 devname: drive-scsi0", log);
        Assert.Contains("new volume ID is 'local-zfs:vm-150-disk-0'", log);
        Assert.Contains("progress 100% (read 53687091200 bytes, duration", string.Join('\n', log));
        var config = await _api.ConfigAsync("proxmox-01", 150);
        Assert.Equal("web-server-01", config["name"]!.GetValue<string>());
        Assert.StartsWith("local-zfs:vm-150-disk-0,", config["scsi0"]!.GetValue<string>());
        Assert.Contains("size=50G", config["scsi0"]!.GetValue<string>());
        Assert.NotEqual((await _api.ConfigAsync("proxmox-01", 101))["net0"]!.GetValue<string>(), config["net0"]!.GetValue<string>());
        Assert.Null(_sim.Cluster.FindGuest(150)!.Lock);

        var running = await _api.PostAsync("nodes/proxmox-01/qemu", ("vmid", "101"), ("archive", archive), ("force", "1"));
        Assert.Equal("unable to restore VM 101 - vm is running", await _api.WaitAsync(running));

        var forced = await _api.PostAsync("nodes/proxmox-01/qemu", ("vmid", "102"), ("archive", archive), ("force", "1"), ("start", "1"));
        Assert.Equal("OK", await _api.WaitAsync(forced, TimeSpan.FromSeconds(30)));
        Assert.Equal(("web-server-01", "running"), (_sim.Cluster.FindGuest(102)!.Name, _sim.Cluster.FindGuest(102)!.Status));

        var missing = await _api.Http.PostFormAsync("nodes/proxmox-01/qemu", Form(("vmid", "151"), ("archive", "backup-nas:backup/vzdump-qemu-999-2026_01_01-00_00_00.vma.zst")));
        Assert.Equal("can't find file 'backup-nas:backup/vzdump-qemu-999-2026_01_01-00_00_00.vma.zst'", missing.Reason);
        var extract = await _api.Http.GetJsonAsync("nodes/proxmox-01/vzdump/extractconfig?volume=backup-nas%3Abackup%2Fnope.vma.zst");
        Assert.Equal("can't find file 'backup-nas:backup/nope.vma.zst'", extract.Reason);
    }
}
