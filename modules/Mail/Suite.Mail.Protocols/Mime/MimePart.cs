using System.Buffers;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// A leaf entity. Its content is not held in memory: the open methods stream it from the message's store, decoding
/// base64 and quoted-printable on the fly (7bit, 8bit, binary and unknown encodings are returned as they are).
/// </summary>
public sealed class MimePart : MimeEntity
{
    /// <summary>Default cap for <see cref="GetTextAsync(CancellationToken)"/>: 16 MiB of decoded bytes.</summary>
    public const int DefaultMaxTextBytes = 16 * 1024 * 1024;

    internal MimePart(EntityInit init)
        : base(init)
    {
    }

    /// <summary>The file name from Content-Disposition, else the Content-Type "name" parameter, else null.</summary>
    public string? FileName
    {
        get
        {
            var name = ContentDisposition?.FileName ?? ContentType.Name;
            return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        }
    }

    /// <summary>
    /// True when a mail client should list this part as an attachment: Content-Disposition says so, or it carries a file
    /// name, or it is not text; except for resources referenced by Content-ID inside multipart/related (inline images).
    /// </summary>
    public bool IsAttachment
    {
        get
        {
            var disposition = ContentDisposition;
            if (disposition?.IsAttachment == true)
            {
                return true;
            }

            if (IsInlineResource)
            {
                return false;
            }

            if (FileName is not null)
            {
                return true;
            }

            return !ContentType.IsText && disposition?.IsInline != true;
        }
    }

    /// <summary>True for a part of a multipart/related that has a Content-ID and is not marked as an attachment.</summary>
    public bool IsInlineResource =>
        Parent?.ContentType.Is("multipart", "related") == true
        && ContentId is not null
        && ContentDisposition?.IsAttachment != true
        && !ReferenceEquals(Parent.Parts[0], this);

    /// <summary>Length of the content as transmitted (before transfer decoding).</summary>
    public long EncodedLength => BodyLength;

    /// <summary>Opens the content as transmitted (still base64 / quoted-printable encoded).</summary>
    public Stream OpenEncodedRead() => new ContentRangeStream(Store, BodyOffset, BodyLength);

    /// <summary>Opens the content with the transfer encoding removed.</summary>
    public Stream OpenDecodedRead()
    {
        var encoded = OpenEncodedRead();
        return ContentTransferEncoding switch
        {
            TransferEncodings.Base64 => new TransferDecodingStream(encoded, base64: true),
            TransferEncodings.QuotedPrintable => new TransferDecodingStream(encoded, base64: false),
            _ => encoded,
        };
    }

    public async Task CopyDecodedToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        await using var source = OpenDecodedRead();
        await source.CopyToAsync(destination, 64 * 1024, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decodes the content as text; see <see cref="GetTextAsync(int, CancellationToken)"/>.</summary>
    public Task<string> GetTextAsync(CancellationToken cancellationToken = default) => GetTextAsync(DefaultMaxTextBytes, cancellationToken);

    /// <summary>
    /// Decodes at most <paramref name="maxBytes"/> bytes of content as text. A byte-order mark wins; then the declared
    /// charset when .NET knows it (code pages included); otherwise (no, unknown or us-ascii charset) valid UTF-8 is read
    /// as UTF-8 and anything else as windows-1252 (latin1). Invalid sequences become U+FFFD; this never throws on content.
    /// </summary>
    public async Task<string> GetTextAsync(int maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);

        // Decoding never makes content longer, so the encoded length bounds the buffer.
        var capacity = (int)Math.Min(BodyLength, maxBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
        try
        {
            await using var source = OpenDecodedRead();
            var length = 0;
            while (length < capacity)
            {
                var read = await source.ReadAsync(buffer.AsMemory(length, capacity - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return DecodeText(buffer.AsSpan(0, length), ContentType.Charset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static string DecodeText(ReadOnlySpan<byte> bytes, string? charset)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Charsets.Utf8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        return Charsets.Decode(bytes, charset);
    }
}
