namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// A file added to a <see cref="MimeMessageBuilder"/>. The content is opened each time the message is written (for
/// example once for SMTP and once for the copy appended to Sent), and streamed: it is never loaded whole.
/// </summary>
public sealed class MimeAttachment
{
    internal MimeAttachment(string fileName, ContentType contentType, Func<Stream> openContent, string? contentId)
    {
        FileName = fileName;
        ContentType = contentType;
        OpenContent = openContent;
        ContentId = contentId;
    }

    public string FileName { get; }

    public ContentType ContentType { get; }

    /// <summary>Set for inline images referenced from the HTML body as "cid:" + ContentId.</summary>
    public string? ContentId { get; }

    public bool IsInline => ContentId is not null;

    internal Func<Stream> OpenContent { get; }
}
