using System.ComponentModel.DataAnnotations;

namespace HuiHui.Host.Identity;

/// <summary><c>HuiHui:Hub</c>: the first administrator and the login cookie.</summary>
internal sealed class HubOptions
{
    public const string Section = "HuiHui:Hub";

    /// <summary>User name (an e-mail address) of the first admin, created on first start when no admin exists.</summary>
    [Required, EmailAddress]
    public string AdminEmail { get; set; } = "admin@huihui.local";

    /// <summary>
    /// Password of the first admin (set it through the environment: <c>HuiHui__Hub__AdminPassword</c>). No default:
    /// without it no admin is created, except in Development, where one is generated and printed once.
    /// </summary>
    public string? AdminPassword { get; set; }

    /// <summary>How long a login lasts without activity.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromHours(8);
}
