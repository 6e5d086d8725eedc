using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Suite.Mail.Protocols.Html;

namespace Suite.Mail.Protocols.Tests.Html;

public sealed class MailHtmlSanitizerTests
{
    private static readonly MailHtmlSanitizer Sanitizer = new();

    /// <summary>Classic and mutation XSS vectors (OWASP cheat sheet style), plus tracking and phishing tricks.</summary>
    private static readonly string[] VectorList =
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"javascript:alert('XSS');\">",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<img src=`javascript:alert(1)`>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\" &#14;  javascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"file:///etc/passwd\">x</a>",
        "<a href=\"https://ok.example/\" onclick=\"alert(1)\" ping=\"https://track.example/\">x</a>",
        "<body onload=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"evil.swf\"></object><embed src=\"evil.swf\">",
        "<form action=\"https://phish.example/\"><input name=password type=password><button>Login</button></form>",
        "<input autofocus onfocus=alert(1)>",
        "<details open ontoggle=alert(1)>x</details>",
        "<video><source onerror=alert(1)></video>",
        "<audio src=x onerror=alert(1)>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"javascript:alert(1)//\">",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<div style=\"width: expression(alert(1))\">x</div>",
        "<div style=\"xss:\\65xpression(alert(1))\">x</div>",
        "<div style=\"color: red; background-image: u\\72l(https://track.example/p.gif)\">x</div>",
        "<div style=\"behavior: url(x.htc)\">x</div>",
        "<div style=\"-moz-binding: url(https://evil.example/x.xml#x)\">x</div>",
        "<div style=\"color:red/*x*/;width:exp/**/ression(alert(1))\">x</div>",
        "<style>@import 'https://evil.example/x.css'; p{color:red}</style><p>x</p>",
        "<style>body{background:url(https://track.example/open.gif)}</style>",
        "<style>@font-face{font-family:x;src:url(https://track.example/f.woff)}</style>",
        "<style>p{width:expression(alert(1))}</style>",
        "<style>p{color:\\72 ed}</style>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        "<template><script>alert(1)</script></template>",
        "<xmp><script>alert(1)</script></xmp>",
        "<textarea><script>alert(1)</script></textarea>",
        "<table background=\"https://track.example/bg.gif\"><tr><td background=\"javascript:alert(1)\">x</td></tr></table>",
        "<img src=\"https://track.example/pixel.gif\" width=1 height=1>",
        "<img srcset=\"https://track.example/a.png 1x\">",
        "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
        "<p title=\"javascript:alert(1)\" class=\"x\" id=\"clobber\" name=\"x\">x</p>",
        "<!--[if gte mso 9]><script>alert(1)</script><![endif]-->",
        "<a href=\"https://ok.example/\"><img src=\"cid:logo@x\" onload=alert(1)></a>",
        "<div data-x=\"1\" formaction=\"javascript:alert(1)\">x</div>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<<img src=x onerror=alert(1)//<",
        "<a href=\"https://ok.example/\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">cover</a>",
        "<marquee onstart=alert(1)>x</marquee>",
        "<isindex action=javascript:alert(1) type=image>",
        "<keygen autofocus onfocus=alert(1)>",
        "<frameset onload=alert(1)>",
        "<image src=x onerror=alert(1)>",
    ];

    public static TheoryData<string> Vectors() => new(VectorList);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Hostile_markup_comes_out_inert(string html)
    {
        var output = Sanitizer.Sanitize(html).Html;

        AssertInert(output);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Sanitizing_is_stable_when_the_output_is_parsed_again(string html)
    {
        var once = Sanitizer.Sanitize(html).Html;

        Assert.Equal(once, Sanitizer.Sanitize(once).Html);
    }

    [Fact]
    public void Ordinary_mail_markup_survives()
    {
        var html = "<html><head><style>.MsoNormal{margin:0;font-family:Calibri}</style></head><body>" +
                   "<p class=\"MsoNormal\" style=\"color: #333; font-size: 11pt\">Bonjour <b>Marie</b>,</p>" +
                   "<table border=\"0\" cellpadding=\"2\"><tr><td align=\"right\" bgcolor=\"#eee\">1</td></tr></table>" +
                   "<ul><li>un</li><li>deux</li></ul><blockquote>cité</blockquote></body></html>";

        var output = Sanitizer.Sanitize(html).Html;

        Assert.Equal(
            "<style>.MsoNormal{margin:0;font-family:Calibri}</style>" +
            "<p class=\"MsoNormal\" style=\"color: #333; font-size: 11pt\">Bonjour <b>Marie</b>,</p>" +
            "<table border=\"0\" cellpadding=\"2\"><tbody><tr><td align=\"right\" bgcolor=\"#eee\">1</td></tr></tbody></table>" +
            "<ul><li>un</li><li>deux</li></ul><blockquote>cité</blockquote>",
            output);
    }

    [Fact]
    public void Links_open_in_a_new_context_without_opener_or_referrer()
    {
        var output = Sanitizer.Sanitize("<a href=\"https://service-public.fr/x?a=1&b=2\" target=\"_self\">x</a><a href=\"mailto:a@b.fr\">m</a><a href=\"#top\">t</a>").Html;

        Assert.Equal(
            "<a href=\"https://service-public.fr/x?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>" +
            "<a href=\"mailto:a@b.fr\" target=\"_blank\" rel=\"noopener noreferrer\">m</a>" +
            "<a href=\"#top\" target=\"_blank\" rel=\"noopener noreferrer\">t</a>",
            output);
    }

    [Fact]
    public void Remote_images_are_blocked_with_a_placeholder_unless_allowed()
    {
        const string html = "<img src=\"https://track.example/p.gif?u=42\" alt=\"logo\"><img src=\"http://cdn.example/a.png\">";

        var blocked = Sanitizer.Sanitize(html);
        var allowed = Sanitizer.Sanitize(html, new MailHtmlSanitizerOptions { AllowRemoteImages = true });

        Assert.Equal(2, blocked.BlockedRemoteImages);
        Assert.Equal("<img alt=\"logo\" data-blocked-src=\"https://track.example/p.gif?u=42\"><img data-blocked-src=\"http://cdn.example/a.png\">", blocked.Html);
        Assert.Equal(0, allowed.BlockedRemoteImages);
        Assert.Contains("src=\"https://track.example/p.gif?u=42\"", allowed.Html, StringComparison.Ordinal);
        Assert.Contains("referrerpolicy=\"no-referrer\"", allowed.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cid_images_are_mapped_through_the_callback()
    {
        var options = new MailHtmlSanitizerOptions
        {
            ResolveContentId = id => id == "logo@suite" ? "/mail/parts/42/2" : id == "evil@x" ? "javascript:alert(1)" : null,
        };

        var output = Sanitizer.Sanitize("<img src=\"cid:logo@suite\"><img src=\"CID:%3Cevil@x%3E\"><img src=\"cid:unknown@x\">", options).Html;

        Assert.Equal("<img src=\"/mail/parts/42/2\"><img><img>", output);
    }

    [Fact]
    public void Small_inline_data_images_are_kept()
    {
        const string png = "data:image/png;base64,iVBORw0KGgo=";

        Assert.Equal($"<img src=\"{png}\">", Sanitizer.Sanitize($"<img src=\"{png}\">").Html);
    }

    [Fact]
    public void Style_attributes_keep_only_harmless_declarations()
    {
        var output = Sanitizer.Sanitize("<p style=\"color:red; position:absolute; background: url(https://t.example/x); font-weight: bold\">x</p>").Html;

        Assert.Equal("<p style=\"color: red; font-weight: bold\">x</p>", output);
    }

    [Fact]
    public void Forms_lose_their_controls_but_keep_their_text()
    {
        var output = Sanitizer.Sanitize("<form action=\"https://phish.example\"><p>Votre mot de passe :</p><input type=password><button>OK</button></form>").Html;

        Assert.Equal("<p>Votre mot de passe :</p>", output);
    }

    [Fact]
    public void Randomly_mangled_markup_never_throws_and_stays_inert()
    {
        var random = new Random(77);
        var vectors = VectorList;
        for (var i = 0; i < 1500; i++)
        {
            var html = string.Concat(Enumerable.Range(0, 1 + random.Next(4)).Select(_ => vectors[random.Next(vectors.Length)]));
            var chars = html.ToCharArray();
            for (var m = random.Next(6); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = "<>\"'=/ \\:;(){}&#x"[random.Next(17)];
            }

            var input = new string(chars);
            string output;
            try
            {
                output = Sanitizer.Sanitize(input).Html;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} threw {e}\ninput: {input}");
                return;
            }

            AssertInert(output);
        }
    }

    /// <summary>Parses the output like a browser and checks that nothing in it can run or fetch.</summary>
    private static void AssertInert(string output)
    {
        using var document = new HtmlParser().ParseDocument("<!doctype html><html><head></head><body>" + output + "</body></html>");
        foreach (var element in document.All)
        {
            var name = element.LocalName;
            Assert.DoesNotContain(name, new[] { "script", "iframe", "object", "embed", "form", "input", "button", "textarea", "svg", "math", "meta", "link", "base", "frame", "frameset", "video", "audio", "source", "noscript", "template" });
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler {attribute.Name} in {output}");
                Assert.DoesNotContain(attribute.Name, new[] { "srcset", "background", "formaction", "action", "srcdoc", "ping", "xlink:href", "id", "name" });
                var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                Assert.DoesNotContain("javascript:", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("vbscript:", value, StringComparison.OrdinalIgnoreCase);
                if (attribute.Name is "src")
                {
                    Assert.True(value.StartsWith("data:image/png", StringComparison.Ordinal) || value.StartsWith('/'), $"remote or unsafe src {value}");
                }

                if (attribute.Name is "href")
                {
                    Assert.Matches("^(https?:|mailto:|tel:|#)", value);
                    Assert.Equal("noopener noreferrer", element.GetAttribute("rel"));
                }

                if (attribute.Name is "style")
                {
                    Assert.DoesNotMatch("(?i)url\\(|expression|behavior|binding|position", value);
                }
            }

            if (name == "style")
            {
                Assert.DoesNotMatch("(?i)url\\(|expression|@import|@font-face|javascript", element.TextContent);
            }
        }
    }
}
