using Mediator;

namespace HuiHui.Modules.Experts.Contracts;

/// <summary>
/// The market events an analyst can be alerted to, by their key (<c>?kinds=</c>, the subscriptions table, the push):
/// the price crossing above the call wall or below the put wall, crossing zero gamma, the regime changing, and an idea's
/// stop or target being hit. Each is raised once, on the analysis where it happened.
/// </summary>
public static class MarketAlertKinds
{
    public const string CallWall = "call-wall";
    public const string PutWall = "put-wall";
    public const string ZeroGamma = "zero-gamma";
    public const string Regime = "regime";
    public const string IdeaStop = "idea-stop";
    public const string IdeaTarget = "idea-target";

    public static readonly IReadOnlyList<(string Kind, string Title)> All =
    [
        (CallWall, "price breaks above the call wall"),
        (PutWall, "price breaks below the put wall"),
        (ZeroGamma, "price crosses zero gamma"),
        (Regime, "the regime changes"),
        (IdeaStop, "an idea's stop is hit"),
        (IdeaTarget, "an idea's target is hit"),
    ];

    public static bool IsKnown(string kind) => All.Any(k => k.Kind == kind);
}

/// <param name="Level">The level crossed (wall, zero gamma) or the spot at which an idea closed; null for a regime change.</param>
/// <param name="AsOf">The snapshot time of the analysis that raised it.</param>
public sealed record MarketAlert(long Id, string Symbol, string Kind, string Message, double? Level, DateTimeOffset AsOf, DateTimeOffset RaisedAt);

/// <summary>A market alert was raised (stored once); the hub pushes it to the users subscribed to its symbol and kind.</summary>
public sealed record MarketAlertRaised(MarketAlert Alert) : INotification;

/// <summary>The newest market alerts, of one symbol or all, at most <paramref name="Count"/>.</summary>
public sealed record GetMarketAlerts(string? Symbol = null, int Count = 50) : IQuery<IReadOnlyList<MarketAlert>>;

/// <summary>What <paramref name="UserId"/> is subscribed to: kinds by symbol (<c>*</c>: every symbol).</summary>
public sealed record GetAlertSubscriptions(string UserId) : IQuery<IReadOnlyList<AlertSubscription>>;

public sealed record AlertSubscription(string Symbol, string Kind);

/// <summary>Replaces <paramref name="UserId"/>'s subscriptions on <paramref name="Symbol"/> by <paramref name="Kinds"/> (none: unsubscribe).</summary>
public sealed record SetAlertSubscriptions(string UserId, string Symbol, IReadOnlyList<string> Kinds) : ICommand;

/// <summary>The users subscribed to <paramref name="Kind"/> on <paramref name="Symbol"/> (directly or through <c>*</c>).</summary>
public sealed record GetAlertSubscribers(string Symbol, string Kind) : IQuery<IReadOnlyList<string>>;
