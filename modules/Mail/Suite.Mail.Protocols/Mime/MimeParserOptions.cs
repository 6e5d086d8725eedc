using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>Limits and storage choices for <see cref="MimeParser"/>.</summary>
public sealed class MimeParserOptions
{
    public static MimeParserOptions Default { get; } = new();

    /// <summary>
    /// Bytes of a non-seekable source kept in memory before the copy moves to a temporary file (default 256 KiB).
    /// </summary>
    public int SpoolThreshold { get; init; } = 256 * 1024;

    /// <summary>
    /// Deepest multipart / message nesting that is parsed (default 64). Deeper multiparts and embedded messages become
    /// leaf parts whose content is still available undecoded; a <see cref="MimeWarningKind.NestingTooDeep"/> warning is added.
    /// </summary>
    public int MaxNestingDepth { get; init; } = 64;

    /// <summary>Most entities materialised for one message (default 10,000); later parts are skipped with a warning.</summary>
    public int MaxParts { get; init; } = 10_000;

    /// <summary>Most bytes of header values kept per header block (default 1 MiB); the rest is skipped with a warning.</summary>
    public int MaxHeaderBytes { get; init; } = 1024 * 1024;

    /// <summary>Most header fields kept per header block (default 5,000).</summary>
    public int MaxHeaderCount { get; init; } = 5_000;

    /// <summary>Folder for spool files; the system temporary folder when null.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Charset for 8-bit header bytes that are not valid UTF-8 (default windows-1252, a superset of latin1).</summary>
    public Encoding? HeaderFallbackEncoding { get; init; }

    /// <summary>
    /// When true (default) a seekable source is not copied: parts read their content from it later, so it must stay
    /// open and unchanged while the message is used. When false every source is spooled.
    /// </summary>
    public bool ReadSeekableSourceInPlace { get; init; } = true;
}
