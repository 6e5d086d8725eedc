using System.Buffers;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Reads the <c>; name=value</c> list after a Content-Type or Content-Disposition value and applies RFC 2231:
/// continuations (<c>name*0</c>, <c>name*1</c>, ...), percent-encoded sections (<c>name*0*</c>) and the
/// <c>charset'language'</c> prefix. Tolerates unquoted values containing spaces or tspecials (read up to the next ';'),
/// missing sections, duplicated parameters (first wins) and RFC 2047 encoded words inside quoted values, a common
/// non-standard way of sending non-ASCII file names.
/// </summary>
internal static class ParameterParser
{
    private readonly record struct RawParameter(string Name, string Value);

    private sealed class Section(int index, bool extended, string value)
    {
        public int Index { get; } = index;
        public bool Extended { get; } = extended;
        public string Value { get; } = value;
    }

    public static ParameterList Parse(HeaderLexer lexer) => Decode(ReadRaw(lexer));

    /// <summary>Applies the same decoding to name/value pairs that arrive already split (IMAP BODYSTRUCTURE).</summary>
    public static ParameterList Decode(IEnumerable<(string Name, string Value)> pairs) =>
        Decode(pairs.Select(p => new RawParameter(p.Name.ToLowerInvariant(), p.Value)).ToList());

    private static List<RawParameter> ReadRaw(HeaderLexer lx)
    {
        var result = new List<RawParameter>();
        while (true)
        {
            lx.SkipCfws();
            if (lx.AtEnd)
            {
                return result;
            }

            if (lx.Is(';'))
            {
                lx.Position++;
                continue;
            }

            var name = lx.ReadWhile(c => c is not ('=' or ';' or ' ' or '\t' or '(' or '"')).ToLowerInvariant();
            lx.SkipCfws();
            if (!lx.Is('='))
            {
                if (name.Length == 0 && !lx.AtEnd && !lx.Is(';'))
                {
                    lx.Position++; // stray character: make progress
                }

                continue;
            }

            lx.Position++;
            lx.SkipWhitespace();
            string value;
            if (lx.Is('"'))
            {
                value = lx.ReadQuotedString();
                SkipToSemicolon(lx);
            }
            else
            {
                var start = lx.Position;
                SkipToSemicolon(lx);
                value = lx.Text[start..lx.Position].Trim();
            }

            if (name.Length > 0)
            {
                result.Add(new RawParameter(name, value));
            }
        }
    }

    private static void SkipToSemicolon(HeaderLexer lx)
    {
        var semi = lx.Text.IndexOf(';', lx.Position);
        lx.Position = semi < 0 ? lx.Text.Length : semi;
    }

    private static ParameterList Decode(List<RawParameter> raw)
    {
        if (raw.Count == 0)
        {
            return ParameterList.Empty;
        }

        var order = new List<string>();
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var sections = new Dictionary<string, List<Section>>(StringComparer.Ordinal);
        foreach (var p in raw)
        {
            var (baseName, index, extended) = SplitName(p.Name);
            if (baseName.Length == 0)
            {
                continue;
            }

            if (!plain.ContainsKey(baseName) && !sections.ContainsKey(baseName))
            {
                order.Add(baseName);
            }

            if (index < 0 && !extended)
            {
                plain.TryAdd(baseName, p.Value);
                continue;
            }

            if (!sections.TryGetValue(baseName, out var list))
            {
                sections[baseName] = list = [];
            }

            var sectionIndex = Math.Max(index, 0);
            if (list.TrueForAll(s => s.Index != sectionIndex))
            {
                list.Add(new Section(sectionIndex, extended, p.Value));
            }
        }

        var items = new List<MimeParameter>(order.Count);
        foreach (var name in order)
        {
            if (sections.TryGetValue(name, out var list))
            {
                list.Sort((a, b) => a.Index.CompareTo(b.Index));
                items.Add(Join(name, list));
            }
            else
            {
                items.Add(new MimeParameter(name, Rfc2047.Decode(plain[name])));
            }
        }

        return new ParameterList(items);
    }

    private static (string BaseName, int Index, bool Extended) SplitName(string name)
    {
        var extended = name.EndsWith('*');
        var core = extended ? name[..^1] : name;
        var star = core.LastIndexOf('*');
        if (star > 0 && int.TryParse(core.AsSpan(star + 1), System.Globalization.NumberStyles.None, null, out var index) && index < 10_000)
        {
            return (core[..star], index, extended);
        }

        return (core.Replace("*", string.Empty, StringComparison.Ordinal), -1, extended);
    }

    private static MimeParameter Join(string name, List<Section> sections)
    {
        var text = new StringBuilder();
        var bytes = new ArrayBufferWriter<byte>();
        string? charset = null;
        string? language = null;
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            if (!section.Extended)
            {
                FlushBytes(text, bytes, charset);
                text.Append(section.Value);
                continue;
            }

            var value = section.Value.AsSpan();
            if (i == 0)
            {
                var q1 = value.IndexOf('\'');
                var q2 = q1 < 0 ? -1 : value[(q1 + 1)..].IndexOf('\'');
                if (q2 >= 0)
                {
                    charset = value[..q1].ToString();
                    var lang = value.Slice(q1 + 1, q2).ToString();
                    language = lang.Length == 0 ? null : lang;
                    value = value[(q1 + q2 + 2)..];
                }
            }

            PercentDecode(value, bytes);
        }

        FlushBytes(text, bytes, charset);
        return new MimeParameter(name, text.ToString(), language);
    }

    private static void FlushBytes(StringBuilder text, ArrayBufferWriter<byte> bytes, string? charset)
    {
        if (bytes.WrittenCount == 0)
        {
            return;
        }

        text.Append(Charsets.Decode(bytes.WrittenSpan, charset));
        bytes.Clear();
    }

    private static void PercentDecode(ReadOnlySpan<char> value, ArrayBufferWriter<byte> sink)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && Hex.Value(value[i + 1]) >= 0 && Hex.Value(value[i + 2]) >= 0)
            {
                sink.GetSpan(1)[0] = (byte)((Hex.Value(value[i + 1]) << 4) | Hex.Value(value[i + 2]));
                sink.Advance(1);
                i += 2;
            }
            else if (c < 128)
            {
                sink.GetSpan(1)[0] = (byte)c;
                sink.Advance(1);
            }
            else
            {
                Rune.DecodeFromUtf16(value[i..], out var rune, out var consumed);
                var n = rune.EncodeToUtf8(utf8);
                utf8[..n].CopyTo(sink.GetSpan(n));
                sink.Advance(n);
                i += Math.Max(consumed, 1) - 1;
            }
        }
    }
}
