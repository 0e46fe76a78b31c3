using Moxxie.Core.Proxmox;

namespace Moxxie.Web.Components.Pages.Nodes;

/// <summary>A click on a service's action button.</summary>
public sealed record ServiceActionRequest(string Service, ServiceAction Action);
