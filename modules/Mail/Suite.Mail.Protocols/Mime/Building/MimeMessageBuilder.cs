using System.Security.Cryptography;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Composes a message and writes it with CRLF line endings. The structure follows what the content needs:
/// <code>
/// multipart/mixed                      (only with attachments)
///   multipart/alternative              (only with both text and HTML)
///     text/plain
///     multipart/related                (only with inline images)
///       text/html
///       image/* (Content-ID)
///   attachment ...
/// </code>
/// Text is UTF-8, sent as 7bit when it is short-lined ASCII, quoted-printable when mostly ASCII, base64 otherwise;
/// attachments are base64. Non-ASCII subjects and display names use RFC 2047, non-ASCII file names RFC 2231 (plus the
/// legacy quoted RFC 2047 "name" that older clients read). Header lines are folded at 78 characters. Message-ID,
/// Date and multipart boundaries are fixed on the first write, so writing twice (SMTP, then Sent) gives the same message.
/// Values are validated against header injection: CR and LF never reach a header unencoded.
/// </summary>
public sealed class MimeMessageBuilder
{
    private readonly List<MimeAttachment> _attachments = [];
    private readonly List<(string Name, string Value)> _extraHeaders = [];
    private readonly string _boundarySeed = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public MailboxAddress? From { get; set; }

    public MailboxAddress? Sender { get; set; }

    public IList<MailboxAddress> ReplyTo { get; } = new List<MailboxAddress>();

    public IList<MailboxAddress> To { get; } = new List<MailboxAddress>();

    public IList<MailboxAddress> Cc { get; } = new List<MailboxAddress>();

    public IList<MailboxAddress> Bcc { get; } = new List<MailboxAddress>();

    /// <summary>Write the Bcc header (for drafts); leave false for messages handed to SMTP.</summary>
    public bool IncludeBcc { get; set; }

    public string? Subject { get; set; }

    public string? TextBody { get; set; }

    public string? HtmlBody { get; set; }

    /// <summary>The Date header; set to now on the first write when null.</summary>
    public DateTimeOffset? Date { get; set; }

    /// <summary>The Message-ID without angle brackets; generated on the first write when null.</summary>
    public string? MessageId { get; set; }

    /// <summary>The Message-ID (without brackets) of the message replied to.</summary>
    public string? InReplyTo { get; set; }

    /// <summary>Message-IDs (without brackets) of the thread, oldest first.</summary>
    public IList<string> References { get; } = new List<string>();

    public IReadOnlyList<MimeAttachment> Attachments => _attachments;

    /// <summary>Adds a header such as "X-Mailer"; the value is encoded as unstructured text.</summary>
    public MimeMessageBuilder AddHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (string.IsNullOrEmpty(name) || name.Any(c => c is <= ' ' or >= (char)127 or ':'))
        {
            throw new ArgumentException("A header name is printable ASCII without spaces or colons.", nameof(name));
        }

        _extraHeaders.Add((name, value));
        return this;
    }

    /// <summary>Adds an attachment whose content is opened (and disposed) each time the message is written.</summary>
    public MimeMessageBuilder AddAttachment(string fileName, string contentType, Func<Stream> openContent)
    {
        ArgumentNullException.ThrowIfNull(openContent);
        _attachments.Add(new MimeAttachment(CleanFileName(fileName), ParseType(contentType), openContent, null));
        return this;
    }

    public MimeMessageBuilder AddAttachment(string fileName, string contentType, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return AddAttachment(fileName, contentType, () => new MemoryStream(content, writable: false));
    }

    /// <summary>Adds an image for the HTML body and returns its Content-ID; reference it as <c>src="cid:{id}"</c>.</summary>
    public string AddInlineImage(string fileName, string contentType, Func<Stream> openContent, string? contentId = null)
    {
        ArgumentNullException.ThrowIfNull(openContent);
        var id = contentId?.Trim().TrimStart('<').TrimEnd('>') ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)) + "@" + IdDomain();
        if (id.Length == 0 || id.Any(c => c is <= ' ' or >= (char)127 or '<' or '>'))
        {
            throw new ArgumentException("A Content-ID is printable ASCII without spaces or angle brackets.", nameof(contentId));
        }

        _attachments.Add(new MimeAttachment(CleanFileName(fileName), ParseType(contentType), openContent, id));
        return id;
    }

    public string AddInlineImage(string fileName, string contentType, byte[] content, string? contentId = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return AddInlineImage(fileName, contentType, () => new MemoryStream(content, writable: false), contentId);
    }

    /// <summary>Sets In-Reply-To and References for a reply to <paramref name="original"/> (RFC 5322 §3.6.4).</summary>
    public MimeMessageBuilder SetReplyHeaders(MimeMessage original)
    {
        ArgumentNullException.ThrowIfNull(original);
        References.Clear();
        var thread = original.References.Count > 0
            ? original.References
            : (original.InReplyTo is { } parent ? [parent] : []);
        foreach (var id in thread)
        {
            References.Add(id);
        }

        if (original.MessageId is { } messageId)
        {
            References.Add(messageId);
            InReplyTo = messageId;
        }

        return this;
    }

    /// <summary>"Re: " + subject, unless the subject already starts with "Re:".</summary>
    public static string ReplySubject(string? subject)
    {
        var s = (subject ?? string.Empty).Trim();
        return s.StartsWith("re:", StringComparison.OrdinalIgnoreCase) ? s : "Re: " + s;
    }

    /// <summary>Writes the message. Throws <see cref="InvalidOperationException"/> without a From address.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var from = From ?? throw new InvalidOperationException("A message needs a From address.");
        Date ??= DateTimeOffset.Now;
        MessageId ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "@" + IdDomain();

        var writer = new MimeWriter(destination);
        var headers = new StringBuilder();
        headers.Append(HeaderFolder.Fold("Date", [.. MailDate.Format(Date.Value).Split(' ')]));
        headers.Append(AddressHeader("From", [from]));
        if (Sender is not null)
        {
            headers.Append(AddressHeader("Sender", [Sender]));
        }

        AppendAddresses(headers, "Reply-To", ReplyTo);
        AppendAddresses(headers, "To", To);
        AppendAddresses(headers, "Cc", Cc);
        if (IncludeBcc)
        {
            AppendAddresses(headers, "Bcc", Bcc);
        }

        headers.Append(HeaderFolder.Fold("Subject", HeaderEncoder.Unstructured(Subject ?? string.Empty)));
        headers.Append(HeaderFolder.Fold("Message-ID", [MsgId(MessageId)]));
        if (!string.IsNullOrWhiteSpace(InReplyTo))
        {
            headers.Append(HeaderFolder.Fold("In-Reply-To", [MsgId(InReplyTo)]));
        }

        if (References.Count > 0)
        {
            headers.Append(HeaderFolder.Fold("References", [.. References.Select(MsgId)]));
        }

        foreach (var (name, value) in _extraHeaders)
        {
            headers.Append(HeaderFolder.Fold(name, HeaderEncoder.Unstructured(value)));
        }

        headers.Append("MIME-Version: 1.0\r\n");
        await writer.WriteAsync(headers.ToString(), cancellationToken).ConfigureAwait(false);
        await BuildTree().WriteAsync(writer, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private BuildNode BuildTree()
    {
        var boundaryCounter = 0;
        string NextBoundary() => $"=_{_boundarySeed}_{boundaryCounter++}";

        var inline = _attachments.Where(a => a.IsInline).ToList();
        BuildNode? html = HtmlBody is null ? null : TextLeaf("html", HtmlBody);
        if (html is not null && inline.Count > 0)
        {
            var related = Multipart("related", NextBoundary(), [("type", "text/html")]);
            related.Children.Add(html);
            related.Children.AddRange(inline.Select(a => AttachmentLeaf(a, inlineDisposition: true)));
            html = related;
        }

        BuildNode? text = TextBody is null ? null : TextLeaf("plain", TextBody);
        BuildNode? body = (text, html) switch
        {
            (not null, not null) => Multipart("alternative", NextBoundary(), [], text, html),
            _ => text ?? html,
        };

        var files = _attachments.Where(a => !a.IsInline || html is null).ToList();
        if (files.Count == 0)
        {
            return body ?? TextLeaf("plain", string.Empty);
        }

        var mixed = Multipart("mixed", NextBoundary(), []);
        if (body is not null)
        {
            mixed.Children.Add(body);
        }

        mixed.Children.AddRange(files.Select(a => AttachmentLeaf(a, inlineDisposition: a.IsInline)));
        return mixed;
    }

    private static MultipartNode Multipart(string subtype, string boundary, List<(string, string)> parameters, params BuildNode[] children)
    {
        var node = new MultipartNode(boundary);
        parameters.Insert(0, ("boundary", boundary));
        node.HeaderLines.Add(HeaderFolder.Fold("Content-Type", HeaderEncoder.WithParameters("multipart/" + subtype, parameters)));
        node.Children.AddRange(children);
        return node;
    }

    private static LeafNode TextLeaf(string subtype, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(NormalizeLineEndings(text));
        var (encoding, body) = TextEncoding.Encode(bytes);
        var node = new LeafNode { EncodedBody = body };
        node.HeaderLines.Add(HeaderFolder.Fold("Content-Type", HeaderEncoder.WithParameters("text/" + subtype, [("charset", "utf-8")])));
        node.HeaderLines.Add("Content-Transfer-Encoding: " + encoding + "\r\n");
        return node;
    }

    private static LeafNode AttachmentLeaf(MimeAttachment attachment, bool inlineDisposition)
    {
        var node = new LeafNode { OpenForBase64 = attachment.OpenContent };
        var typeWords = HeaderEncoder.WithParameters(attachment.ContentType.MimeType, []);
        if (HeaderEncoder.IsAsciiPrintable(attachment.FileName))
        {
            typeWords[^1] += ";";
            typeWords.AddRange(HeaderEncoder.Parameter("name", attachment.FileName));
        }
        else
        {
            typeWords[^1] += ";";
            typeWords.AddRange(HeaderEncoder.LegacyEncodedParameter("name", attachment.FileName));
        }

        node.HeaderLines.Add(HeaderFolder.Fold("Content-Type", typeWords));
        node.HeaderLines.Add(HeaderFolder.Fold(
            "Content-Disposition",
            HeaderEncoder.WithParameters(inlineDisposition ? "inline" : "attachment", [("filename", attachment.FileName)])));
        if (attachment.ContentId is { } id)
        {
            node.HeaderLines.Add(HeaderFolder.Fold("Content-ID", [MsgId(id)]));
        }

        node.HeaderLines.Add("Content-Transfer-Encoding: base64\r\n");
        return node;
    }

    private static string NormalizeLineEndings(string text)
    {
        var normalized = text.ReplaceLineEndings("\r\n");
        return normalized.Length == 0 || normalized.EndsWith("\r\n", StringComparison.Ordinal) ? normalized : normalized + "\r\n";
    }

    private static void AppendAddresses(StringBuilder headers, string name, IList<MailboxAddress> list)
    {
        if (list.Count > 0)
        {
            headers.Append(AddressHeader(name, list));
        }
    }

    private static string AddressHeader(string name, IEnumerable<MailboxAddress> mailboxes)
    {
        var list = mailboxes.ToList();
        foreach (var m in list)
        {
            if (m.Address.Length == 0 || m.Address.Any(c => c < ' ' || c == 127) || m.Address.Contains('<') || m.Address.Contains('>'))
            {
                throw new ArgumentException($"Invalid e-mail address in {name}: '{m.Address}'.");
            }
        }

        return HeaderFolder.Fold(name, HeaderEncoder.Addresses(list));
    }

    private static string MsgId(string id)
    {
        var clean = id.Trim().TrimStart('<').TrimEnd('>');
        if (clean.Length == 0 || clean.Any(c => c is <= ' ' or >= (char)127 or '<' or '>'))
        {
            throw new ArgumentException($"Invalid message id '{id}'.");
        }

        return "<" + clean + ">";
    }

    private string IdDomain()
    {
        var domain = From?.Domain;
        if (string.IsNullOrWhiteSpace(domain))
        {
            return "localhost.localdomain";
        }

        var ascii = HeaderEncoder.AddrSpec("x@" + domain)[2..];
        return ascii.All(c => c is > ' ' and < (char)127 and not ('<' or '>')) ? ascii : "localhost.localdomain";
    }

    private static string CleanFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        var clean = new string([.. fileName.Where(c => !char.IsControl(c))]).Trim();
        return clean.Length == 0 ? "attachment" : clean;
    }

    private static ContentType ParseType(string contentType)
    {
        var type = ContentType.Parse(contentType);
        return new ContentType(type.MediaType, type.MediaSubtype, ParameterList.Empty);
    }
}
