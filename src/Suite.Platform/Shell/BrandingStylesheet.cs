using System.Globalization;

namespace Suite.Platform.Shell;

/// <summary>The CSS that applies a ministry's primary colour, with a text colour on it that keeps a 4.5:1 contrast.</summary>
internal static class BrandingStylesheet
{
    /// <param name="hex">Six hexadecimal digits, without '#'.</param>
    internal static string? For(string? hex)
    {
        if (hex is not { Length: 6 } || hex.AsSpan().ContainsAnyExcept("0123456789abcdefABCDEF"))
            return null;
        var rgb = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var luminance = RelativeLuminance((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
        var onPrimary = (1.05 / (luminance + 0.05)) >= 4.5 ? "#ffffff" : "#161616";
        return $":root {{ --suite-primary: #{hex.ToLowerInvariant()}; --suite-on-primary: {onPrimary}; }}\n";
    }

    /// <summary>WCAG 2 relative luminance of an sRGB colour.</summary>
    internal static double RelativeLuminance(int r, int g, int b)
    {
        static double Linear(int channel)
        {
            var c = channel / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);
    }
}
