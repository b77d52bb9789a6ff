using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HuiHui.Modules.Shared.Contracts;

/// <summary>
/// A module in one place: its services, its recurring jobs, and what a host without the background writers (a CLI verb)
/// must flush before it exits. Each module's registration class exposes one (<c>XModule.Descriptor</c>); the host composes
/// the list once and uses it for the web host, every CLI verb and the job scheduler.
/// </summary>
/// <param name="Name">The module, as its folder is named.</param>
/// <param name="AddServices">Registers the module's services.</param>
/// <param name="ScheduleJobs">Registers its recurring jobs (null: it has none).</param>
/// <param name="Flush">Writes what its background writers still hold (null: nothing to flush).</param>
/// <param name="Prime">
/// Runs, once and without services, the code a fresh process otherwise compiles and binds on the way to its first analysis
/// (null: nothing worth it). A one-shot verb runs every module's on a spare core while its host is built; what it computes is
/// thrown away, and a failure only costs the speed it was for.
/// </param>
public sealed record ModuleDescriptor(
    string Name,
    Func<IServiceCollection, IConfiguration, IServiceCollection> AddServices,
    Action<IRecurringJobManager>? ScheduleJobs = null,
    Func<IServiceProvider, CancellationToken, Task>? Flush = null,
    Action? Prime = null);
