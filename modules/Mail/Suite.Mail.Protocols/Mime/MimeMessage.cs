namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// A parsed RFC 5322 message. The top-level <see cref="Body"/> entity shares the message's <see cref="Headers"/>.
/// Dispose the outermost message to release its spool file (or the source it owns); embedded messages share it.
/// </summary>
public sealed class MimeMessage : IDisposable
{
    private readonly bool _ownsStore;
    private readonly Dictionary<string, AddressList> _addresses = new(StringComparer.OrdinalIgnoreCase);

    internal MimeMessage(MimeEntity body, bool ownsStore, IReadOnlyList<MimeParseWarning> warnings)
    {
        Body = body;
        _ownsStore = ownsStore;
        Warnings = warnings;
    }

    public HeaderList Headers => Body.Headers;

    public MimeEntity Body { get; }

    /// <summary>Repairs the parser made; empty for a well-formed message.</summary>
    public IReadOnlyList<MimeParseWarning> Warnings { get; }

    public string? Subject => Headers["Subject"];

    public AddressList From => Addresses("From");

    public AddressList Sender => Addresses("Sender");

    public AddressList ReplyTo => Addresses("Reply-To");

    public AddressList To => Addresses("To");

    public AddressList Cc => Addresses("Cc");

    public AddressList Bcc => Addresses("Bcc");

    public DateTimeOffset? Date => MailDate.Parse(Headers.Find("Date")?.RawValue);

    /// <summary>The Message-ID without angle brackets.</summary>
    public string? MessageId => MessageIds.First(Headers.Find("Message-ID")?.RawValue);

    /// <summary>The first id of In-Reply-To, without angle brackets.</summary>
    public string? InReplyTo => MessageIds.First(Headers.Find("In-Reply-To")?.RawValue);

    /// <summary>The ids of References, oldest first, without angle brackets.</summary>
    public IReadOnlyList<string> References => MessageIds.Parse(Headers.Find("References")?.RawValue);

    /// <summary>Size of the whole message in bytes.</summary>
    public long Length => Body.EndOffset - Body.Offset;

    /// <summary>Opens the message exactly as received.</summary>
    public Stream OpenRawRead() => Body.OpenRawRead();

    /// <summary>The plain-text body: the first text/plain part that is not an attachment (embedded messages excluded).</summary>
    public MimePart? TextBody => BodyCandidates().FirstOrDefault(p => p.ContentType.Is("text", "plain"));

    /// <summary>The HTML body: the first text/html part that is not an attachment (embedded messages excluded).</summary>
    public MimePart? HtmlBody => BodyCandidates().FirstOrDefault(p => p.ContentType.Is("text", "html"));

    /// <summary>Every entity of this message in document order, not descending into embedded messages.</summary>
    public IEnumerable<MimeEntity> Entities => Walk(Body);

    /// <summary>Parts a mail client lists as attachments, embedded messages included.</summary>
    public IEnumerable<MimeEntity> Attachments =>
        Entities.Where(e => e is MessagePart || (e is MimePart p && p.IsAttachment));

    /// <summary>The part with the given Content-ID (with or without angle brackets, or as a "cid:" URL), or null.</summary>
    public MimePart? FindByContentId(string contentId)
    {
        ArgumentNullException.ThrowIfNull(contentId);
        var id = contentId.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) ? Uri.UnescapeDataString(contentId[4..]) : contentId;
        id = id.Trim().TrimStart('<').TrimEnd('>');
        return Entities.OfType<MimePart>().FirstOrDefault(p => string.Equals(p.ContentId, id, StringComparison.OrdinalIgnoreCase));
    }

    private IEnumerable<MimePart> BodyCandidates() =>
        Entities.OfType<MimePart>().Where(p => !p.IsAttachment && p.ContentDisposition?.IsAttachment != true && p.FileName is null);

    private static IEnumerable<MimeEntity> Walk(MimeEntity root)
    {
        var stack = new Stack<MimeEntity>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var entity = stack.Pop();
            yield return entity;
            if (entity is Multipart multipart)
            {
                for (var i = multipart.Parts.Count - 1; i >= 0; i--)
                {
                    stack.Push(multipart.Parts[i]);
                }
            }
        }
    }

    private AddressList Addresses(string name)
    {
        lock (_addresses)
        {
            if (!_addresses.TryGetValue(name, out var list))
            {
                var raw = string.Join(", ", Headers.FindAll(name).Select(h => h.RawValue));
                _addresses[name] = list = AddressList.Parse(raw);
            }

            return list;
        }
    }

    public void Dispose()
    {
        if (_ownsStore)
        {
            Body.Store.Dispose();
        }
    }
}
