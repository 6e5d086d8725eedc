using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Suite.Mail.Protocols.Html;

/// <summary>
/// Conservative CSS filtering without a CSS parser: escapes and comments are undone first, so obfuscated
/// <c>expression(</c> or <c>url(</c> cannot hide, then anything able to run code or fetch a resource is dropped.
/// </summary>
internal static partial class CssFilter
{
    private static readonly string[] ForbiddenInValues =
    [
        "url(", "expression", "javascript", "vbscript", "@import", "behavior", "binding", "\\", "<", ">", "/*", "*/",
        "image(", "image-set(", "element(", "attr(", "var(", "env(", "paint(",
    ];

    private static readonly string[] ForbiddenInSheets =
    [
        "expression", "javascript", "vbscript", "behavior", "binding", "@import", "@font-face", "<", "image(", "image-set(", "element(", "paint(", "url(",
    ];

    private static readonly HashSet<string> AllowedProperties = new(StringComparer.Ordinal)
    {
        "color", "background-color", "background", "font", "font-family", "font-size", "font-style", "font-weight", "font-variant",
        "text-align", "text-decoration", "text-indent", "text-transform", "letter-spacing", "word-spacing", "line-height",
        "white-space", "word-break", "word-wrap", "overflow-wrap", "vertical-align", "direction", "unicode-bidi",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style", "border-width",
        "border-collapse", "border-spacing", "border-radius",
        "width", "height", "min-width", "max-width", "min-height", "max-height", "display", "float", "clear",
        "list-style", "list-style-type", "list-style-position", "table-layout", "caption-side", "empty-cells", "visibility",
        "overflow", "opacity",
    };

    /// <summary>Filters a style attribute; returns null when nothing is left.</summary>
    public static string? FilterDeclarations(string css)
    {
        var text = Unescape(RemoveComments(css));
        var kept = new List<string>();
        foreach (var declaration in text.Split(';'))
        {
            var colon = declaration.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = declaration[..colon].Trim().ToLowerInvariant();
            var value = declaration[(colon + 1)..].Trim();
            if (AllowedProperties.Contains(name) && value.Length > 0 && IsHarmless(value))
            {
                kept.Add(name + ": " + value);
            }
        }

        return kept.Count == 0 ? null : string.Join("; ", kept);
    }

    /// <summary>Filters a style sheet; returns null when it must go entirely.</summary>
    public static string? FilterStyleSheet(string css)
    {
        var text = RemoveComments(css);
        if (text.Contains('\\', StringComparison.Ordinal))
        {
            // Escapes in selectors and strings are rare in mail and the classic way to disguise an attack.
            return null;
        }

        text = AtRule().Replace(text, string.Empty);
        text = FontFace().Replace(text, string.Empty);
        text = Url().Replace(text, "none");
        var lowered = text.ToLowerInvariant();
        return ForbiddenInSheets.Any(f => lowered.Contains(f, StringComparison.Ordinal)) ? null : text;
    }

    private static bool IsHarmless(string value)
    {
        var lowered = value.ToLowerInvariant();
        foreach (var forbidden in ForbiddenInValues)
        {
            if (lowered.Contains(forbidden, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return !lowered.Any(char.IsControl);
    }

    private static string RemoveComments(string css)
    {
        var result = new StringBuilder(css.Length);
        var i = 0;
        while (i < css.Length)
        {
            if (i + 1 < css.Length && css[i] == '/' && css[i + 1] == '*')
            {
                var end = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                // Removed without a space, as old IE did: "exp/**/ression" must still be seen as "expression".
                i = end < 0 ? css.Length : end + 2;
                continue;
            }

            result.Append(css[i++]);
        }

        return result.ToString();
    }

    /// <summary>Undoes CSS escapes (<c>\65</c>, <c>\000065 </c>, <c>\e</c>) as a browser would before tokenizing.</summary>
    private static string Unescape(string css)
    {
        if (!css.Contains('\\', StringComparison.Ordinal))
        {
            return css;
        }

        var result = new StringBuilder(css.Length);
        var i = 0;
        while (i < css.Length)
        {
            var c = css[i++];
            if (c != '\\' || i >= css.Length)
            {
                result.Append(c);
                continue;
            }

            var hexLength = 0;
            while (hexLength < 6 && i + hexLength < css.Length && char.IsAsciiHexDigit(css[i + hexLength]))
            {
                hexLength++;
            }

            if (hexLength == 0)
            {
                result.Append(css[i++]);
                continue;
            }

            var code = int.Parse(css.AsSpan(i, hexLength), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            i += hexLength;
            if (i < css.Length && css[i] is ' ' or '\t' or '\n')
            {
                i++;
            }

            result.Append(code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(code) : "\uFFFD");
        }

        return result.ToString();
    }

    [GeneratedRegex(@"@(import|charset|namespace)[^;{]*;?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AtRule();

    [GeneratedRegex(@"@font-face\s*\{[^}]*\}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FontFace();

    [GeneratedRegex(@"url\s*\([^)]*\)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
