using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>The response writer's counters since start, for the compliance tracker and the hub's health panel.</summary>
public sealed record GetPersistenceStatus : IQuery<PersistenceStatus>;

/// <param name="Enqueued">Responses produced and handed to the writer.</param>
/// <param name="Written">Responses stored in PostgreSQL (replays of spooled ones included).</param>
/// <param name="Rejected">Responses refused as invalid (never stored).</param>
/// <param name="Spooled">Responses that went to the local spool (stored later when replayed).</param>
/// <param name="Queued">Responses waiting in memory.</param>
/// <param name="SpoolBytes">Size of the spool now.</param>
/// <param name="DatabaseDown">The last write found PostgreSQL unreachable.</param>
public sealed record PersistenceStatus(long Enqueued, long Written, long Rejected, long Spooled, int Queued, long SpoolBytes, bool DatabaseDown);
