using Moxxie.Core.Proxmox;
using Moxxie.Infrastructure.Proxmox.Wire;

namespace Moxxie.Infrastructure.Proxmox;

internal sealed partial class ProxmoxGateway
{
    public async Task<IReadOnlyList<NodeGuest>> GetNodeGuestsAsync(string node, GuestType type, CancellationToken ct) =>
        [.. (await ListAsync<GuestStatusDto>($"nodes/{E(node)}/{TypePath(type)}", ct)).Where(g => g.VmId is not null)
            .Select(g => ProxmoxMapper.ToNodeGuest(g, type)).OrderBy(g => g.VmId)];

    public async Task<GuestStatusDetail> GetGuestStatusAsync(string node, int vmId, GuestType type, CancellationToken ct) =>
        ProxmoxMapper.ToGuestStatus(await client.GetDataAsync<GuestStatusDto>($"{GuestPath(node, type, vmId)}/status/current", ct), vmId, type);

    public async Task<GuestConfig> GetGuestConfigDetailAsync(string node, int vmId, GuestType type, bool includePending, CancellationToken ct)
    {
        var raw = await GetGuestConfigAsync(node, vmId, type, ct);
        var pending = includePending ? await GetPendingAsync(node, vmId, type, ct) : [];
        return GuestConfig.Parse(vmId, type, raw, [.. pending.Where(p => p.Pending is not null || p.Delete)]);
    }

    public async Task<IReadOnlyList<PendingChange>> GetPendingAsync(string node, int vmId, GuestType type, CancellationToken ct) =>
        [.. (await ListAsync<PendingDto>($"{GuestPath(node, type, vmId)}/pending", ct)).Where(p => !string.IsNullOrEmpty(p.Key)).Select(ProxmoxMapper.ToPending)
            .OrderBy(p => p.Key, StringComparer.Ordinal)];

    public async Task UpdateGuestConfigAsync(string node, int vmId, GuestType type, GuestConfigUpdate update, CancellationToken ct) =>
        await client.PutAsync($"{GuestPath(node, type, vmId)}/config", ConfigParams(update, type), ct);

    public async Task<string?> UpdateVmConfigAsync(string node, int vmId, GuestConfigUpdate update, CancellationToken ct) =>
        OptionalUpid(await client.PostAsync($"{GuestPath(node, GuestType.Qemu, vmId)}/config", ConfigParams(update, GuestType.Qemu), ct));

    private static PveParams ConfigParams(GuestConfigUpdate u, GuestType type) =>
        new PveParams()
            .Add(type == GuestType.Lxc ? "hostname" : "name", u.Name)
            .Add("cores", u.Cores)
            .Add(type == GuestType.Qemu ? "sockets" : "cores", type == GuestType.Qemu ? u.Sockets : null)
            .Add("memory", u.MemoryMb)
            .Add(type == GuestType.Qemu ? "balloon" : "swap", type == GuestType.Qemu ? u.BalloonMb : null)
            .Add("onboot", u.OnBoot)
            .Add(type == GuestType.Qemu ? "agent" : "console", type == GuestType.Qemu ? u.Agent : null)
            .Add("protection", u.Protection)
            .Add("description", u.Description)
            .Add("tags", u.Tags is null ? null : string.Join(';', u.Tags))
            .AddAll(u.Other)
            .AddList("delete", u.Delete)
            .Add("digest", u.Digest);

    public async Task<string> CreateVmAsync(string node, CreateVmRequest r, CancellationToken ct)
    {
        var path = $"nodes/{E(node)}/qemu";
        var form = new PveParams()
            .Add("vmid", r.VmId).Add("name", r.Name).Add("cores", r.Cores).Add("sockets", r.Sockets).Add("memory", r.MemoryMb)
            .Add("ostype", r.OsType).Add("cpu", r.Cpu).Add("scsihw", r.ScsiHw).Add("pool", r.Pool)
            .Add("tags", r.Tags is null ? null : string.Join(';', r.Tags)).Add("start", r.Start)
            .AddAll(r.Devices).AddAll(r.Other);
        return Upid(await client.PostAsync(path, form, ct), path);
    }

    public async Task<string> CloneVmAsync(string node, int vmId, CloneVmRequest r, CancellationToken ct)
    {
        var path = $"{GuestPath(node, GuestType.Qemu, vmId)}/clone";
        var form = new PveParams()
            .Add("newid", r.NewId).Add("name", r.Name).Add("description", r.Description).Add("full", r.Full).Add("target", r.Target)
            .Add("storage", r.Storage).Add("format", r.Format).Add("pool", r.Pool).Add("snapname", r.SnapName);
        return Upid(await client.PostAsync(path, form, ct), path);
    }

    public async Task<string> DeleteGuestAsync(string node, int vmId, GuestType type, DeleteGuestOptions options, CancellationToken ct)
    {
        var q = new PveParams()
            .Add("purge", options.Purge ? true : null)
            .Add("destroy-unreferenced-disks", options.DestroyUnreferencedDisks ? true : null)
            .Add("skiplock", options.SkipLock ? true : null);
        var path = $"{GuestPath(node, type, vmId)}{q.Query()}";
        return Upid(await client.DeleteAsync(path, ct), path);
    }

    public async Task<string?> ResizeDiskAsync(string node, int vmId, string disk, string size, CancellationToken ct) =>
        OptionalUpid(await client.PutAsync($"{GuestPath(node, GuestType.Qemu, vmId)}/resize", new PveParams().Add("disk", disk).Add("size", size), ct));

    public async Task<IReadOnlyList<Snapshot>> GetSnapshotsAsync(string node, int vmId, GuestType type, CancellationToken ct) =>
        [.. (await ListAsync<SnapshotDto>($"{GuestPath(node, type, vmId)}/snapshot", ct)).Where(s => !string.IsNullOrEmpty(s.Name)).Select(ProxmoxMapper.ToSnapshot)
            .OrderBy(s => s.IsCurrent).ThenBy(s => s.Time)];

    public async Task<string> CreateSnapshotAsync(string node, int vmId, GuestType type, SnapshotRequest request, CancellationToken ct)
    {
        var path = $"{GuestPath(node, type, vmId)}/snapshot";
        var form = new PveParams().Add("snapname", request.Name).Add("description", request.Description);
        if (type == GuestType.Qemu) form.Add("vmstate", request.IncludeRam);
        return Upid(await client.PostAsync(path, form, ct), path);
    }

    public async Task<string> DeleteSnapshotAsync(string node, int vmId, GuestType type, string name, bool force, CancellationToken ct)
    {
        var path = $"{GuestPath(node, type, vmId)}/snapshot/{E(name)}{new PveParams().Add("force", force ? true : null).Query()}";
        return Upid(await client.DeleteAsync(path, ct), path);
    }

    public async Task<string> RollbackSnapshotAsync(string node, int vmId, GuestType type, string name, bool start, CancellationToken ct)
    {
        var path = $"{GuestPath(node, type, vmId)}/snapshot/{E(name)}/rollback";
        return Upid(await client.PostAsync(path, new PveParams().Add("start", start ? true : null), ct), path);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetSnapshotConfigAsync(string node, int vmId, GuestType type, string name, CancellationToken ct) =>
        ProxmoxMapper.Properties(await DataElementAsync($"{GuestPath(node, type, vmId)}/snapshot/{E(name)}/config", ct));

    public async Task UpdateSnapshotDescriptionAsync(string node, int vmId, GuestType type, string name, string description, CancellationToken ct) =>
        await client.PutAsync($"{GuestPath(node, type, vmId)}/snapshot/{E(name)}/config", new PveParams().Add("description", description), ct);

    public async Task<MigratePrecondition> GetMigratePreconditionAsync(string node, int vmId, string? target, CancellationToken ct) =>
        ProxmoxMapper.ToMigrate(await client.GetDataAsync<MigrateDto>(
            $"{GuestPath(node, GuestType.Qemu, vmId)}/migrate{new PveParams().Add("target", target).Query()}", ct));

    public async Task<string> MigrateVmAsync(string node, int vmId, MigrateRequest r, CancellationToken ct)
    {
        var path = $"{GuestPath(node, GuestType.Qemu, vmId)}/migrate";
        var form = new PveParams()
            .Add("target", r.Target).Add("online", r.Online).Add("with-local-disks", r.WithLocalDisks).Add("targetstorage", r.TargetStorage)
            .Add("bwlimit", r.BandwidthLimitKiB).Add("force", r.Force);
        return Upid(await client.PostAsync(path, form, ct), path);
    }

    public async Task<VncProxyTicket> CreateVncProxyAsync(string node, int vmId, GuestType type, CancellationToken ct)
    {
        var path = $"{GuestPath(node, type, vmId)}/vncproxy";
        var d = client.Data<VncProxyDto>(await client.PostAsync(path, new PveParams().Add("websocket", true), ct), path);
        if (d.Port is not { } port || string.IsNullOrEmpty(d.Ticket))
            throw new ProxmoxException(Connection, 200, $"PVE returned no port or ticket for {path}.");
        return new VncProxyTicket(port, d.Ticket, string.IsNullOrEmpty(d.Password) ? null : d.Password, d.Cert, d.User, d.Upid);
    }

    public async Task<int> CheckVncWebSocketAsync(string node, int vmId, GuestType type, int port, string ticket, CancellationToken ct)
    {
        var path = $"{GuestPath(node, type, vmId)}/vncwebsocket{new PveParams().Add("port", port).Add("vncticket", ticket).Query()}";
        var d = await client.GetDataAsync<VncWebSocketDto>(path, ct);
        return d.Port ?? port;
    }

    public Uri VncWebSocketUrl(string node, int vmId, GuestType type, int port, string ticket)
    {
        var http = new Uri(ProxmoxClient.ApiBase(client.Url),
            $"{GuestPath(node, type, vmId)}/vncwebsocket{new PveParams().Add("port", port).Add("vncticket", ticket).Query()}");
        return new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttp ? "ws" : "wss" }.Uri;
    }
}
