namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// A MIME entity: a header block and a body (RFC 2045 §2.4). Concrete kinds are <see cref="MimePart"/> (leaf content),
/// <see cref="Multipart"/> and <see cref="MessagePart"/> (an embedded message/rfc822). Offsets are byte positions
/// from the start of the outermost message.
/// </summary>
public abstract class MimeEntity
{
    private ContentDisposition? _disposition;
    private bool _dispositionRead;

    private protected MimeEntity(EntityInit init)
    {
        Headers = init.Headers;
        ContentType = init.ContentType;
        Store = init.Store;
        Offset = init.Offset;
        BodyOffset = init.BodyOffset;
        EndOffset = init.EndOffset;
    }

    public HeaderList Headers { get; }

    public ContentType ContentType { get; }

    public ContentDisposition? ContentDisposition
    {
        get
        {
            if (!_dispositionRead)
            {
                _disposition = ContentDisposition.Parse(Headers.Find("Content-Disposition")?.RawValue);
                _dispositionRead = true;
            }

            return _disposition;
        }
    }

    /// <summary>The Content-ID without angle brackets, or null.</summary>
    public string? ContentId => MessageIds.First(Headers.Find("Content-ID")?.RawValue);

    /// <summary>The lower-case Content-Transfer-Encoding token; "7bit" when absent.</summary>
    public string ContentTransferEncoding => TransferEncodings.Normalize(Headers.Find("Content-Transfer-Encoding")?.RawValue);

    /// <summary>The enclosing multipart, or null for the body of a message.</summary>
    public Multipart? Parent { get; internal set; }

    /// <summary>Where the entity's header block starts.</summary>
    public long Offset { get; }

    /// <summary>Where the body starts (after the empty line).</summary>
    public long BodyOffset { get; }

    /// <summary>Where the body ends (exclusive; the line break before a delimiter is not part of it).</summary>
    public long EndOffset { get; }

    public long BodyLength => EndOffset - BodyOffset;

    internal ContentStore Store { get; }

    /// <summary>Opens the entity exactly as it appeared: headers, empty line and encoded body.</summary>
    public Stream OpenRawRead() => new ContentRangeStream(Store, Offset, EndOffset - Offset);
}

/// <summary>Constructor arguments shared by every entity kind.</summary>
internal sealed record EntityInit(HeaderList Headers, ContentType ContentType, ContentStore Store, long Offset, long BodyOffset, long EndOffset);
