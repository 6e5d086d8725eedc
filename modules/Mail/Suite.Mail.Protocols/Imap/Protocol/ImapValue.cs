using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Imap;

internal enum ImapValueKind
{
    Atom,
    String,
    Nil,
    List,

    /// <summary>A literal whose bytes went to a caller's sink instead of memory; only its length is kept.</summary>
    StreamedLiteral,
}

/// <summary>One parsed element of a server response: an atom, a string (quoted or literal), NIL or a parenthesised list.</summary>
internal sealed class ImapValue
{
    public static readonly ImapValue Nil = new(ImapValueKind.Nil, null, null, [], 0);
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    private string? _text;

    private ImapValue(ImapValueKind kind, string? text, byte[]? bytes, IReadOnlyList<ImapValue> items, long length)
    {
        Kind = kind;
        _text = text;
        Bytes = bytes;
        Items = items;
        Length = length;
    }

    public ImapValueKind Kind { get; }

    /// <summary>Raw bytes of a string value.</summary>
    public byte[]? Bytes { get; }

    public IReadOnlyList<ImapValue> Items { get; }

    /// <summary>Length in bytes of a streamed literal.</summary>
    public long Length { get; }

    public bool IsNil => Kind == ImapValueKind.Nil;

    public bool IsList => Kind == ImapValueKind.List;

    public static ImapValue Atom(string text) => new(ImapValueKind.Atom, text, null, [], 0);

    public static ImapValue String(byte[] bytes) => new(ImapValueKind.String, null, bytes, [], bytes.Length);

    public static ImapValue List(IReadOnlyList<ImapValue> items) => new(ImapValueKind.List, null, null, items, 0);

    public static ImapValue Streamed(long length) => new(ImapValueKind.StreamedLiteral, null, null, [], length);

    /// <summary>Text of an atom or string (strings decode as UTF-8, falling back to Latin-1 for raw 8-bit); null for NIL, lists and streamed literals.</summary>
    public string? Text => Kind switch
    {
        ImapValueKind.Atom => _text,
        ImapValueKind.String => _text ??= DecodeString(Bytes!),
        _ => null,
    };

    /// <summary>The item at <paramref name="index"/>, or NIL when out of range or not a list: typed parsers stay lenient.</summary>
    public ImapValue Item(int index) => index >= 0 && index < Items.Count ? Items[index] : Nil;

    public bool IsAtom(string text) => Kind == ImapValueKind.Atom && string.Equals(_text, text, StringComparison.OrdinalIgnoreCase);

    public bool TryGetNumber(out uint number)
    {
        number = 0;
        return Kind is ImapValueKind.Atom or ImapValueKind.String && uint.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    public bool TryGetNumber64(out ulong number)
    {
        number = 0;
        return Kind is ImapValueKind.Atom or ImapValueKind.String && ulong.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    public uint? AsNumber() => TryGetNumber(out var n) ? n : null;

    public ulong? AsNumber64() => TryGetNumber64(out var n) ? n : null;

    public override string ToString() => Kind switch
    {
        ImapValueKind.Nil => "NIL",
        ImapValueKind.List => "(" + string.Join(' ', Items) + ")",
        ImapValueKind.String => "\"" + Text + "\"",
        ImapValueKind.StreamedLiteral => $"{{{Length}}}",
        _ => _text ?? string.Empty,
    };

    private static string DecodeString(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(bytes);
        }
    }
}
