using Moxxie.Core.Proxmox;
using Moxxie.Core.Vms;

namespace Moxxie.Web.Components.Pages.Vms;

/// <summary>A row action the user asked for.</summary>
public sealed record VmRowAction(VmListRow Vm, PowerAction Action);
