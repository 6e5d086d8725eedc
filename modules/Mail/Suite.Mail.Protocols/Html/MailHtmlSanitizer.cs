using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Suite.Mail.Protocols.Html;

/// <summary>
/// Makes the HTML of a received mail safe to display (in a sandboxed frame, as a second line of defence): the markup is
/// parsed as a browser would (AngleSharp, HTML5 rules), then rebuilt from allow-lists. Scripts, event handlers, forms,
/// frames, plugins, SVG/MathML, meta refresh and base are removed; links may only be http(s), mailto or tel and open
/// in a new browsing context without opener or referrer; style attributes and sheets lose anything that runs code or
/// fetches; remote images are blocked unless allowed, and <c>cid:</c> images point where the caller serves the parts.
/// </summary>
public sealed class MailHtmlSanitizer
{
    /// <summary>Attribute that keeps the address of a blocked remote image, for a "show images" action.</summary>
    public const string BlockedSourceAttribute = "data-blocked-src";

    /// <summary>Elements dropped with everything inside them.</summary>
    private static readonly HashSet<string> RemovedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "noscript", "noembed", "noframes",
        "template", "svg", "math", "xmp", "plaintext", "textarea", "select", "option", "optgroup", "button", "input", "datalist",
        "meta", "link", "base", "title", "head", "video", "audio", "source", "track", "canvas", "portal", "slot", "dialog",
        "isindex", "keygen", "output", "progress", "meter", "map", "area", "picture", "marquee", "bgsound", "image",
    };

    private static readonly HashSet<string> AllowedElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center",
        "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "label", "li", "main", "mark",
        "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strike", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    };

    private static readonly HashSet<string> AllowedAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "abbr", "align", "alt", "bgcolor", "border", "cellpadding", "cellspacing", "class", "color", "cols", "colspan", "compact",
        "datetime", "dir", "face", "headers", "height", "hspace", "lang", "nowrap", "rowspan", "rules", "scope", "size", "span",
        "start", "summary", "title", "type", "valign", "vspace", "width", "reversed", "frame",
    };

    private static readonly string[] LinkSchemes = ["http", "https", "mailto", "tel"];

    private static readonly string[] InlineImageTypes = ["data:image/png;", "data:image/gif;", "data:image/jpeg;", "data:image/jpg;", "data:image/webp;"];

    private readonly HtmlParser _parser = new(new HtmlParserOptions { IsScripting = false });

    public SanitizedHtml Sanitize(string html, MailHtmlSanitizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        options ??= MailHtmlSanitizerOptions.Default;
        using var document = _parser.ParseDocument(html);
        var state = new State(options);
        var sheets = options.KeepStyleSheets ? CollectStyleSheets(document) : [];
        var body = document.Body;
        if (body is null)
        {
            return new SanitizedHtml(string.Empty, 0);
        }

        CleanChildren(body, state);
        var prefix = string.Concat(sheets.Select(sheet => "<style>" + sheet + "</style>"));
        return new SanitizedHtml(prefix + body.InnerHtml, state.BlockedRemoteImages);
    }

    private static List<string> CollectStyleSheets(IDocument document)
    {
        var sheets = new List<string>();
        foreach (var style in document.QuerySelectorAll("style"))
        {
            // Only sheets in the HTML namespace: a <style> inside SVG is parsed differently and dropped with the SVG.
            if (style.NamespaceUri == "http://www.w3.org/1999/xhtml" && CssFilter.FilterStyleSheet(style.TextContent) is { } sheet
                && !sheet.Contains("</", StringComparison.Ordinal))
            {
                sheets.Add(sheet);
            }
        }

        return sheets;
    }

    private static void CleanChildren(INode parent, State state)
    {
        foreach (var node in parent.ChildNodes.ToArray())
        {
            switch (node)
            {
                case IElement element:
                    CleanElement(element, state);
                    break;
                case IText:
                    break;
                default:
                    // Comments (conditional comments included), processing instructions, doctypes.
                    node.RemoveFromParent();
                    break;
            }
        }
    }

    private static void CleanElement(IElement element, State state)
    {
        var name = element.LocalName;
        if (RemovedWithContent.Contains(name) || element.NamespaceUri != "http://www.w3.org/1999/xhtml")
        {
            element.RemoveFromParent();
            return;
        }

        CleanChildren(element, state);
        if (!AllowedElements.Contains(name))
        {
            // Unknown or structural elements (form, body wrappers, custom tags): keep the text, lose the element.
            Unwrap(element);
            return;
        }

        CleanAttributes(element, state);
    }

    private static void CleanAttributes(IElement element, State state)
    {
        var name = element.LocalName;
        foreach (var attribute in element.Attributes.ToArray())
        {
            var attributeName = attribute.Name;
            var keep = attributeName.ToLowerInvariant() switch
            {
                "style" => CleanStyle(element, attribute.Value),
                "href" when name == "a" => CleanLink(element, attribute.Value),
                "src" when name == "img" => CleanImageSource(element, attribute.Value, state),
                BlockedSourceAttribute when name == "img" => Uri.TryCreate(attribute.Value, UriKind.Absolute, out var blocked) && blocked.Scheme is "http" or "https",
                _ => AllowedAttributes.Contains(attributeName) && attribute.NamespaceUri is null && !HasScriptyValue(attribute.Value),
            };
            if (!keep)
            {
                element.RemoveAttribute(attributeName);
            }
        }

        if (name == "a" && element.HasAttribute("href"))
        {
            element.SetAttribute("target", "_blank");
            element.SetAttribute("rel", "noopener noreferrer");
        }
    }

    /// <summary>Returns true to keep the attribute as is; otherwise it may have replaced it with a filtered value.</summary>
    private static bool CleanStyle(IElement element, string value)
    {
        if (CssFilter.FilterDeclarations(value) is { } filtered)
        {
            element.SetAttribute("style", filtered);
            return true;
        }

        return false;
    }

    private static bool CleanLink(IElement element, string value)
    {
        var url = Normalize(value);
        if (url.StartsWith('#') && url.Length > 1 && !HasScriptyValue(url))
        {
            return true;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && LinkSchemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            element.SetAttribute("href", uri.AbsoluteUri);
            return true;
        }

        return false;
    }

    private static bool CleanImageSource(IElement element, string value, State state)
    {
        var url = Normalize(value);
        if (url.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
        {
            var contentId = Uri.UnescapeDataString(url[4..]).Trim('<', '>');
            if (state.Options.ResolveContentId?.Invoke(contentId) is { } resolved && IsSafeResolvedUrl(resolved))
            {
                element.SetAttribute("src", resolved);
                return true;
            }

            return false;
        }

        if (InlineImageTypes.Any(prefix => url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            if (state.Options.AllowRemoteImages)
            {
                element.SetAttribute("src", uri.AbsoluteUri);
                element.SetAttribute("referrerpolicy", "no-referrer");
                return true;
            }

            element.SetAttribute(BlockedSourceAttribute, uri.AbsoluteUri);
            state.BlockedRemoteImages++;
        }

        return false;
    }

    /// <summary>A resolved cid: URL must be relative to the application or http(s), never a script URL.</summary>
    private static bool IsSafeResolvedUrl(string url) =>
        (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal))
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");

    /// <summary>Browsers ignore control characters and whitespace inside URLs ("jav&#9;ascript:"): so does the check.</summary>
    private static string Normalize(string url) => new(url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());

    private static bool HasScriptyValue(string value)
    {
        var normalized = Normalize(value);
        return normalized.Contains("javascript:", StringComparison.OrdinalIgnoreCase) || normalized.Contains("vbscript:", StringComparison.OrdinalIgnoreCase);
    }

    private static void Unwrap(IElement element)
    {
        var parent = element.Parent;
        if (parent is null)
        {
            return;
        }

        while (element.FirstChild is { } child)
        {
            parent.InsertBefore(child, element);
        }

        element.RemoveFromParent();
    }

    private sealed class State(MailHtmlSanitizerOptions options)
    {
        public MailHtmlSanitizerOptions Options { get; } = options;

        public int BlockedRemoteImages { get; set; }
    }
}
