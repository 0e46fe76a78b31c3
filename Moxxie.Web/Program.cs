using Moxxie.Core;
using Moxxie.Infrastructure.Bulk;
using Moxxie.Infrastructure.Deployments;
using Moxxie.Infrastructure.Persistence;
using Moxxie.Infrastructure.Proxmox;
using Moxxie.Infrastructure.Scheduling;
using Moxxie.Infrastructure.Snapshots;
using Moxxie.Web.Api;
using Moxxie.Web.Components;
using Moxxie.Web.Hosting;
using Moxxie.Web.Identity;

var builder = WebApplication.CreateBuilder(args);
// Static web assets (Radzen's JS/CSS) are served from the build manifest in every environment, not only Development,
// so running from bin/ works the same as dotnet run.
builder.WebHost.UseStaticWebAssets();
DefaultUrls.Apply(builder);

await DemoMode.StartIfEnabledAsync(builder);

builder.Services
    .AddMoxxieCore()
    .AddMoxxiePersistence(builder.Configuration, builder.Environment.ContentRootPath)
    .AddMoxxieProxmox(builder.Configuration)
    .AddMoxxieSnapshotReaper(builder.Configuration)
    .AddMoxxieDeploymentWorker()
    .AddMoxxieBulkWorker(builder.Configuration)
    .AddMoxxieScheduler(builder.Configuration)
    .AddMoxxieIdentity(builder.Configuration)
    .AddMoxxieApi()
    .AddMoxxieUi();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseMoxxieIdempotency();

app.MapBlazorScript();
app.MapMoxxieAccount();
app.MapMoxxieApi();
app.MapMoxxieUi();

app.Run();

/// <summary>Entry point type, public for WebApplicationFactory in tests.</summary>
public partial class Program;
