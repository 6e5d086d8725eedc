using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Suite.Platform.Features;

internal static partial class Validation
{
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    public static bool IsSlug(string? value) => value is { Length: > 0 and <= 63 } && SlugPattern().IsMatch(value);

    public static bool IsEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 256 || value.Contains(' '))
            return false;
        return MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal);
    }

    public static string Clean(string? value) => (value ?? string.Empty).Trim();
}
