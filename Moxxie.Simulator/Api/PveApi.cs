using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Moxxie.Simulator.Model;

namespace Moxxie.Simulator.Api;

/// <summary>
/// The /api2/json methods the simulator serves (their parameters come from the PVE schema, see Schema/).
/// Handlers run under the cluster lock, after the cluster has been advanced to the current simulated time.
/// Field names and JSON types follow PVE 8.x/9.x (see Moxxie.Tests/Simulator for the comparison with recordings).
/// </summary>
internal sealed partial class PveApi(SimulatedCluster cluster, PveAuth auth)
{
    public const string Release = "8.4";
    public const string Version = "8.4.1";
    public const string RepoId = "2a2fa54b8503f96c";
    private const string KernelRelease = "6.8.12-9-pve";
    private const string KernelVersion = "#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-9 (2025-03-16T19:18Z)";

    private static readonly string[] QemuActions = ["start", "stop", "shutdown", "reboot", "reset", "suspend", "resume"];
    private static readonly string[] LxcActions = ["start", "stop", "shutdown", "reboot", "suspend", "resume"];

    /// <summary>Every method served; parameters are checked against the PVE schema by the dispatcher (Schema/).</summary>
    public IReadOnlyList<ApiRoute> Routes() =>
    [
        new("POST", "access/ticket", Ticket, RequiresAuth: false),
        new("GET", "version", _ => new JsonObject { ["release"] = Release, ["version"] = Version, ["repoid"] = RepoId }),
        new("GET", "cluster/status", _ => ClusterStatus()),
        new("GET", "cluster/resources", r => Resources(r.Get("type"))),
        new("GET", "cluster/tasks", _ => ClusterTasks()),
        new("GET", "nodes", _ => Nodes()),
        new("GET", "nodes/{node}/status", r => NodeStatus(r.Node)),
        new("POST", "nodes/{node}/status", r => { cluster.NodePower(cluster.FindNode(r.Node)!, r["command"]); return new ApiResponse(null); }),
        new("GET", "nodes/{node}/qemu", r => GuestList(r.Node, "qemu", r.Bool("full"))),
        new("GET", "nodes/{node}/lxc", r => GuestList(r.Node, "lxc", false)),
        new("GET", "nodes/{node}/qemu/{vmid}/status/current", r => GuestStatus(r.Node, r.Vmid, "qemu")),
        new("GET", "nodes/{node}/lxc/{vmid}/status/current", r => GuestStatus(r.Node, r.Vmid, "lxc")),
        .. QemuActions.Select(a => new ApiRoute("POST", $"nodes/{{node}}/qemu/{{vmid}}/status/{a}", r => Action(r, "qemu", a))),
        .. LxcActions.Select(a => new ApiRoute("POST", $"nodes/{{node}}/lxc/{{vmid}}/status/{a}", r => Action(r, "lxc", a))),
        new("GET", "nodes/{node}/tasks", NodeTasks),
        new("GET", "nodes/{node}/tasks/{upid}/status", r => TaskStatus(r.Node, r["upid"])),
        new("GET", "nodes/{node}/tasks/{upid}/log", r => TaskLog(r.Node, r["upid"], r.Int("start", 0), r.Int("limit", 50))),
        new("DELETE", "nodes/{node}/tasks/{upid}", r => StopTask(r.Node, r["upid"])),
        .. GuestRoutes(),
        .. InfrastructureRoutes(),
    ];

    // ---- access -------------------------------------------------------------------------------------------

    private ApiResponse Ticket(ApiRequest r)
    {
        var user = auth.Login(r["username"], r["password"], r.Get("realm")) ?? throw new PveError(401, "authentication failure");
        var data = new JsonObject
        {
            ["username"] = user,
            ["ticket"] = auth.CreateTicket(user),
            ["CSRFPreventionToken"] = auth.CreateCsrfToken(user),
            ["cap"] = RootCapabilities(),
        };
        if (cluster.ClusterName is { } name) data["clustername"] = name;
        return data;
    }

    private static JsonObject RootCapabilities()
    {
        static JsonObject Privs(params string[] names)
        {
            var o = new JsonObject();
            foreach (var n in names) o[n] = 1;
            return o;
        }
        return new JsonObject
        {
            ["vms"] = Privs("VM.Allocate", "VM.Audit", "VM.Backup", "VM.Clone", "VM.Config.CDROM", "VM.Config.CPU", "VM.Config.Cloudinit",
                "VM.Config.Disk", "VM.Config.HWType", "VM.Config.Memory", "VM.Config.Network", "VM.Config.Options", "VM.Console",
                "VM.GuestAgent.Audit", "VM.GuestAgent.FileRead", "VM.GuestAgent.FileSystemMgmt", "VM.GuestAgent.FileWrite",
                "VM.GuestAgent.Unrestricted", "VM.Migrate", "VM.Monitor", "VM.PowerMgmt", "VM.Replicate", "VM.Snapshot", "VM.Snapshot.Rollback",
                "Permissions.Modify"),
            ["storage"] = Privs("Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.AllocateTemplate", "Datastore.Audit", "Permissions.Modify"),
            ["nodes"] = Privs("Permissions.Modify", "Sys.Audit", "Sys.Console", "Sys.Incoming", "Sys.Modify", "Sys.PowerMgmt", "Sys.Syslog"),
            ["dc"] = Privs("Sys.Audit", "Sys.Modify", "SDN.Allocate", "SDN.Audit"),
            ["access"] = Privs("Group.Allocate", "Permissions.Modify", "User.Modify"),
            ["sdn"] = Privs("Permissions.Modify", "SDN.Allocate", "SDN.Audit", "SDN.Use"),
            ["mapping"] = Privs("Mapping.Audit", "Mapping.Modify", "Mapping.Use", "Permissions.Modify"),
        };
    }

    // ---- cluster ------------------------------------------------------------------------------------------

    private JsonArray ClusterStatus()
    {
        var list = new JsonArray();
        var online = cluster.Nodes.Count(n => n.Online);
        if (cluster.ClusterName is { } name)
        {
            list.Add(new JsonObject
            {
                ["type"] = "cluster", ["id"] = "cluster", ["name"] = name, ["version"] = cluster.ConfigVersion,
                ["quorate"] = online * 2 > cluster.Nodes.Count ? 1 : 0, ["nodes"] = cluster.Nodes.Count,
            });
        }
        foreach (var n in cluster.Nodes)
        {
            list.Add(new JsonObject
            {
                ["type"] = "node", ["id"] = $"node/{n.Name}", ["name"] = n.Name, ["ip"] = n.Ip, ["level"] = "",
                ["local"] = n.Local ? 1 : 0, ["nodeid"] = n.NodeId, ["online"] = n.Online ? 1 : 0,
            });
        }
        return list;
    }

    private JsonArray Resources(string? type)
    {
        var list = new JsonArray();
        var pools = PoolMembership();
        // As pve-manager's resources: pool entries come first (only when no type is asked for) and add up the running
        // members' uptime (longest), mem, maxmem, maxcpu and cpu (weighted by maxcpu).
        var poolEntries = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (type is null)
        {
            foreach (var p in cluster.Pools.Values)
            {
                var entry = new JsonObject { ["id"] = $"/pool/{p.PoolId}", ["pool"] = p.PoolId, ["type"] = "pool" };
                poolEntries[p.PoolId] = entry;
                list.Add(entry);
            }
        }
        if (type is null or "vm")
        {
            foreach (var g in cluster.GuestMap.Values)
            {
                var o = GuestResource(g);
                if (pools.Guests.TryGetValue(g.Vmid, out var pool))
                {
                    o["pool"] = pool;
                    if (poolEntries.TryGetValue(pool, out var entry)) AddToPool(entry, o);
                }
                list.Add(o);
            }
        }
        if (type is null or "node")
            foreach (var n in cluster.Nodes) list.Add(NodeResource(n));
        if (type is null or "storage")
        {
            var usage = cluster.StorageUsage();
            foreach (var s in cluster.Storages)
            {
                var o = StorageResource(s, usage);
                if (pools.Storages.TryGetValue(s.Storage, out var pool)) o["pool"] = pool;
                list.Add(o);
            }
        }
        if (type is null or "sdn") foreach (var o in SdnResources()) list.Add(o);
        return list;
    }

    /// <summary>A running member's share of its pool's entry (pve-manager PVE/API2/Cluster.pm resources).</summary>
    private static void AddToPool(JsonObject pool, JsonObject guest)
    {
        static double Num(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out double d) ? d
            : o[key] is JsonValue w && w.TryGetValue(out long l) ? l : o[key] is JsonValue x && x.TryGetValue(out int i) ? i : 0;
        var uptime = (long)Num(guest, "uptime");
        if (uptime <= 0) return;
        if (uptime > (long)Num(pool, "uptime")) pool["uptime"] = uptime;
        pool["mem"] = (long)Num(pool, "mem") + (long)Num(guest, "mem");
        pool["maxmem"] = (long)Num(pool, "maxmem") + (long)Num(guest, "maxmem");
        double cpu = Num(pool, "cpu"), maxcpu = Num(pool, "maxcpu"), gcpu = Num(guest, "cpu"), gmax = Num(guest, "maxcpu");
        pool["cpu"] = maxcpu + gmax > 0 ? (cpu * maxcpu + gcpu * gmax) / (maxcpu + gmax) : 0;
        pool["maxcpu"] = maxcpu + gmax;
    }

    private JsonObject GuestResource(SimGuest g)
    {
        var nodeOnline = cluster.FindNode(g.Node)!.Online;
        var m = nodeOnline ? cluster.Metrics(g) : default;
        var o = new JsonObject
        {
            ["id"] = $"{g.Type}/{g.Vmid}", ["type"] = g.Type, ["vmid"] = g.Vmid, ["name"] = g.Name, ["node"] = g.Node,
            ["status"] = nodeOnline ? g.Status : "unknown",
            ["cpu"] = m.Cpu, ["maxcpu"] = g.MaxCpu, ["mem"] = m.Mem, ["maxmem"] = g.MaxMem, ["disk"] = m.Disk, ["maxdisk"] = g.MaxDisk,
            ["netin"] = m.NetIn, ["netout"] = m.NetOut, ["diskread"] = m.DiskRead, ["diskwrite"] = m.DiskWrite,
            ["uptime"] = m.Uptime, ["template"] = g.Template ? 1 : 0,
        };
        AddOptional(o, g);
        return o;
    }

    private JsonObject NodeResource(SimNode n)
    {
        if (!n.Online)
            return new JsonObject { ["id"] = $"node/{n.Name}", ["type"] = "node", ["node"] = n.Name, ["status"] = "offline", ["level"] = "" };
        var m = cluster.Metrics(n);
        return new JsonObject
        {
            ["id"] = $"node/{n.Name}", ["type"] = "node", ["node"] = n.Name, ["status"] = "online",
            ["cpu"] = m.Cpu, ["maxcpu"] = n.MaxCpu, ["mem"] = m.Mem, ["maxmem"] = n.MaxMem,
            ["disk"] = n.RootFsUsed, ["maxdisk"] = n.RootFsTotal, ["uptime"] = m.Uptime, ["level"] = "", ["cgroup-mode"] = 2,
        };
    }

    private JsonObject StorageResource(SimStorage s, IReadOnlyDictionary<(string, string), long> usage)
    {
        var online = cluster.FindNode(s.Node)!.Online;
        var disabled = cluster.StorageConfigs.GetValueOrDefault(s.Storage)?.Disabled == true;
        var o = new JsonObject
        {
            ["id"] = $"storage/{s.Node}/{s.Storage}", ["type"] = "storage", ["storage"] = s.Storage, ["node"] = s.Node,
            ["status"] = !online || disabled ? "unknown" : "available", ["plugintype"] = s.PluginType, ["content"] = s.Content,
            ["shared"] = s.Shared ? 1 : 0,
        };
        if (online && !disabled)
        {
            o["disk"] = usage[(s.Storage, s.Node)];
            o["maxdisk"] = s.Total;
        }
        return o;
    }

    private JsonArray Nodes()
    {
        var list = new JsonArray();
        foreach (var n in cluster.Nodes)
        {
            if (!n.Online)
            {
                list.Add(new JsonObject
                {
                    ["node"] = n.Name, ["status"] = "offline", ["id"] = $"node/{n.Name}", ["type"] = "node", ["level"] = "",
                    ["ssl_fingerprint"] = n.SslFingerprint,
                });
                continue;
            }
            var m = cluster.Metrics(n);
            list.Add(new JsonObject
            {
                ["node"] = n.Name, ["status"] = "online", ["id"] = $"node/{n.Name}", ["type"] = "node", ["level"] = "",
                ["cpu"] = m.Cpu, ["maxcpu"] = n.MaxCpu, ["mem"] = m.Mem, ["maxmem"] = n.MaxMem,
                ["disk"] = n.RootFsUsed, ["maxdisk"] = n.RootFsTotal, ["uptime"] = m.Uptime, ["ssl_fingerprint"] = n.SslFingerprint,
            });
        }
        return list;
    }

    // ---- nodes --------------------------------------------------------------------------------------------

    private JsonObject NodeStatus(string node)
    {
        var n = cluster.FindNode(node)!;
        var m = cluster.Metrics(n);
        return new JsonObject
        {
            ["uptime"] = m.Uptime, ["idle"] = 0, ["wait"] = Math.Round(m.Cpu * 0.02, 6), ["cpu"] = m.Cpu,
            ["cpuinfo"] = new JsonObject
            {
                ["model"] = n.CpuModel, ["sockets"] = n.Sockets, ["cores"] = n.MaxCpu / 2 / n.Sockets, ["cpus"] = n.MaxCpu,
                ["mhz"] = CpuMhz(n.CpuModel), ["hvm"] = "1", ["user_hz"] = 100,
                ["flags"] = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid aperfmperf pni pclmulqdq monitor ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm svm sse4a misalignsse 3dnowprefetch osvw ibs skinit wdt tce topoext perfctr_core perfctr_nb bpext perfctr_llc mwaitx cpb cat_l3 cdp_l3 hw_pstate ssbd mba ibrs ibpb stibp vmmcall fsgsbase bmi1 avx2 smep bmi2 erms invpcid cqm rdt_a rdseed adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local clzero irperf xsaveerptr rdpru wbnoinvd amd_ppin arat npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists pausefilter pfthreshold v_vmsave_vmload vgif v_spec_ctrl umip pku ospke vaes vpclmulqdq rdpid overflow_recov succor smca",
            },
            ["loadavg"] = new JsonArray(F2(m.Load1), F2(m.Load5), F2(m.Load15)),
            ["memory"] = new JsonObject { ["total"] = n.MaxMem, ["used"] = m.Mem, ["free"] = (long)((n.MaxMem - m.Mem) * 0.82), ["available"] = n.MaxMem - m.Mem },
            ["swap"] = new JsonObject { ["total"] = 8L << 30, ["used"] = SwapUsed(n), ["free"] = (8L << 30) - SwapUsed(n) },
            ["rootfs"] = new JsonObject { ["total"] = n.RootFsTotal, ["used"] = n.RootFsUsed, ["free"] = n.RootFsTotal - n.RootFsUsed, ["avail"] = n.RootFsTotal - n.RootFsUsed },
            ["ksm"] = new JsonObject { ["shared"] = KsmShared(n, m.Mem) },
            ["pveversion"] = $"pve-manager/{Version}/{RepoId}",
            ["kversion"] = $"Linux {KernelRelease} {KernelVersion}",
            ["boot-info"] = new JsonObject { ["mode"] = "efi", ["secureboot"] = 0 },
            ["current-kernel"] = new JsonObject { ["sysname"] = "Linux", ["release"] = KernelRelease, ["version"] = KernelVersion, ["machine"] = "x86_64" },
        };
    }

    private static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private JsonArray GuestList(string node, string type, bool full)
    {
        var list = new JsonArray();
        foreach (var g in cluster.GuestMap.Values.Where(g => g.Node == node && g.Type == type))
            list.Add(type == "qemu" ? QemuStatus(g, full, current: false) : LxcStatus(g, current: false));
        return list;
    }

    private JsonObject GuestStatus(string node, int vmid, string type)
    {
        var g = RequireGuest(node, vmid, type);
        return type == "qemu" ? QemuStatus(g, full: true, current: true) : LxcStatus(g, current: true);
    }

    private SimGuest RequireGuest(string node, int vmid, string type)
    {
        if (cluster.GuestMap.TryGetValue(vmid, out var g) && g.Node == node && g.Type == type) return g;
        throw PveError.Server($"Configuration file 'nodes/{node}/{(type == "qemu" ? "qemu-server" : "lxc")}/{vmid}.conf' does not exist");
    }

    /// <summary>qemu-server vmstatus: vmid is an integer; pid, tags, lock and template only when set (PVE 7+).</summary>
    private JsonObject QemuStatus(SimGuest g, bool full, bool current)
    {
        var m = cluster.Metrics(g);
        var o = new JsonObject
        {
            ["vmid"] = g.Vmid, ["name"] = g.Name, ["status"] = g.Status, ["cpu"] = m.Cpu, ["cpus"] = g.MaxCpu,
            ["mem"] = m.Mem, ["maxmem"] = g.MaxMem, ["disk"] = 0, ["maxdisk"] = g.MaxDisk,
            ["netin"] = m.NetIn, ["netout"] = m.NetOut, ["diskread"] = m.DiskRead, ["diskwrite"] = m.DiskWrite, ["uptime"] = m.Uptime,
        };
        if (g.IsRunning) o["pid"] = g.Pid;
        if (full || current) o["qmpstatus"] = g.QmpStatus;
        if (g.IsRunning && (full || current))
        {
            o["running-machine"] = g.OsType.StartsWith("win", StringComparison.Ordinal) ? "pc-q35-8.1+pve0" : "pc-i440fx-8.1+pve0";
            o["running-qemu"] = "9.2.0";
        }
        AddOptional(o, g);
        if (g.Template) o["template"] = 1;
        if (current)
        {
            o["ha"] = HaStatus(g);
            if (!g.Template) o["agent"] = 1;
            if (g.IsRunning)
            {
                var free = Math.Max(0, g.MaxMem - m.Mem);
                o["balloon"] = g.MaxMem;
                o["freemem"] = free;
                o["ballooninfo"] = new JsonObject
                {
                    ["actual"] = g.MaxMem, ["max_mem"] = g.MaxMem, ["total_mem"] = g.MaxMem - 80L * 1024 * 1024, ["free_mem"] = free,
                    ["mem_swapped_in"] = 0, ["mem_swapped_out"] = 0, ["major_page_faults"] = 1800 + g.Vmid,
                    ["minor_page_faults"] = 3_000_000 + m.Uptime * 3, ["last_update"] = cluster.Now.ToUnixTimeSeconds(),
                };
                o["nics"] = new JsonObject { [$"tap{g.Vmid}i0"] = new JsonObject { ["netin"] = m.NetIn, ["netout"] = m.NetOut } };
            }
        }
        return o;
    }

    /// <summary>pve-container vmstatus: vmid is a string (a long-standing PVE quirk), type "lxc".</summary>
    private JsonObject LxcStatus(SimGuest g, bool current)
    {
        var m = cluster.Metrics(g);
        var o = new JsonObject
        {
            ["vmid"] = g.Vmid.ToString(CultureInfo.InvariantCulture), ["name"] = g.Name, ["status"] = g.Status, ["type"] = "lxc",
            ["cpu"] = m.Cpu, ["cpus"] = g.MaxCpu, ["mem"] = m.Mem, ["maxmem"] = g.MaxMem, ["swap"] = 0, ["maxswap"] = g.MaxSwap,
            ["disk"] = m.Disk, ["maxdisk"] = g.MaxDisk, ["netin"] = m.NetIn, ["netout"] = m.NetOut,
            ["diskread"] = m.DiskRead, ["diskwrite"] = m.DiskWrite, ["uptime"] = m.Uptime,
        };
        if (g.IsRunning) o["pid"] = g.Pid;
        AddOptional(o, g);
        if (g.Template) o["template"] = 1;
        if (current) o["ha"] = HaStatus(g);
        return o;
    }

    private static void AddOptional(JsonObject o, SimGuest g)
    {
        if (g.Tags.Length > 0) o["tags"] = g.Tags;
        if (g.Lock is { } l) o["lock"] = l;
    }

    private ApiResponse Action(ApiRequest r, string type, string action)
    {
        Skiplock(r);
        var node = cluster.FindNode(r.Node)!;
        var g = RequireGuest(r.Node, r.Vmid, type);
        var task = cluster.GuestAction(node, g, action, r.Identity.TaskUser, r.Params);
        return JsonValue.Create(task.Upid);
    }

    // ---- tasks --------------------------------------------------------------------------------------------

    private JsonObject TaskEntry(SimTask t, bool forStatus)
    {
        var (user, tokenId) = t.SplitUser();
        var o = new JsonObject
        {
            ["upid"] = t.Upid, ["node"] = t.Node, ["pid"] = t.Pid, ["pstart"] = t.PStart, ["starttime"] = t.StartTime,
            ["type"] = t.Type, ["id"] = t.Id, ["user"] = user,
        };
        if (tokenId is not null) o["tokenid"] = tokenId;
        if (forStatus)
        {
            o["status"] = t.IsRunning ? "running" : "stopped";
            if (!t.IsRunning) o["exitstatus"] = t.ExitStatus;
        }
        else if (!t.IsRunning)
        {
            o["endtime"] = t.EndTime;
            o["status"] = t.ExitStatus;
        }
        return o;
    }

    private JsonArray ClusterTasks()
    {
        var list = new JsonArray();
        foreach (var t in cluster.Tasks
                     .GroupBy(t => t.Node)
                     .SelectMany(g => g.Where(t => t.IsRunning).Concat(g.Where(t => !t.IsRunning).OrderByDescending(t => t.StartTime).Take(50)))
                     .OrderByDescending(t => t.StartTime).ThenByDescending(t => t.Pid))
            list.Add(TaskEntry(t, forStatus: false));
        return list;
    }

    private ApiResponse NodeTasks(ApiRequest r)
    {
        var source = r.Get("source") ?? "archive";
        var vmid = r.Get("vmid");
        var typeFilter = r.Get("typefilter");
        var userFilter = r.Get("userfilter");
        var errorsOnly = r.Bool("errors");
        var since = r.Params.ContainsKey("since") ? r.Int("since", 0) : (long?)null;
        var until = r.Params.ContainsKey("until") ? r.Int("until", 0) : (long?)null;
        var statusFilter = r.Get("statusfilter")?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries).ToHashSet();

        var matches = cluster.Tasks
            .Where(t => t.Node == r.Node)
            .Where(t => source switch { "active" => t.IsRunning, "all" => true, _ => !t.IsRunning })
            .Where(t => vmid is null || t.Id == vmid)
            .Where(t => typeFilter is null || t.Type.Contains(typeFilter, StringComparison.Ordinal))
            .Where(t => userFilter is null || t.User.Contains(userFilter, StringComparison.Ordinal))
            .Where(t => !errorsOnly || (!t.IsRunning && TaskStatusClass(t) == "error"))
            .Where(t => since is null || t.StartTime >= since)
            .Where(t => until is null || t.StartTime <= until)
            .Where(t => statusFilter is null || (!t.IsRunning && statusFilter.Contains(TaskStatusClass(t))))
            .OrderByDescending(t => t.StartTime).ThenByDescending(t => t.Pid)
            .ToList();

        var start = (int)Math.Min(r.Int("start", 0), int.MaxValue);
        var limit = (int)Math.Min(r.Int("limit", 50), int.MaxValue);
        var list = new JsonArray();
        foreach (var t in matches.Skip(start).Take(limit)) list.Add(TaskEntry(t, forStatus: false));
        return new ApiResponse(list, matches.Count);
    }

    private static string TaskStatusClass(SimTask t) => t.ExitStatus switch
    {
        "OK" => "ok",
        { } s when s.StartsWith("WARNINGS", StringComparison.Ordinal) => "warning",
        "unexpected status" => "unknown",
        _ => "error",
    };

    private SimTask RequireTask(string node, string upid)
    {
        if (!upid.StartsWith("UPID:", StringComparison.Ordinal) || upid.Split(':').Length != 9)
            throw PveError.Param("upid", "unable to parse worker upid");
        var t = cluster.FindTaskLocked(upid);
        if (t is null || t.Node != node) throw PveError.Param("upid", "no such task");
        return t;
    }

    private JsonObject TaskStatus(string node, string upid) => TaskEntry(RequireTask(node, upid), forStatus: true);

    private ApiResponse TaskLog(string node, string upid, long start, long limit)
    {
        var t = RequireTask(node, upid);
        var lines = t.Log.Count == 0 ? ["no content"] : t.Log;
        var list = new JsonArray();
        var take = limit == 0 ? int.MaxValue : limit;
        for (var i = (int)Math.Min(start, lines.Count); i < lines.Count && take > 0; i++, take--)
            list.Add(new JsonObject { ["n"] = i + 1, ["t"] = lines[i] });
        return new ApiResponse(list, lines.Count);
    }

    private ApiResponse StopTask(string node, string upid)
    {
        cluster.StopTask(RequireTask(node, upid));
        return new ApiResponse(null);
    }
}
