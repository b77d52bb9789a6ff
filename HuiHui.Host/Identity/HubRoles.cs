namespace HuiHui.Host.Identity;

/// <summary>The hub's roles and the policies named after them.</summary>
internal static class HubRoles
{
    /// <summary>Reads every panel, history and education.</summary>
    public const string Analyst = "Analyst";

    /// <summary>Everything an analyst can, plus the control panel, user management and the Hangfire dashboard.</summary>
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Analyst, Admin];
}
