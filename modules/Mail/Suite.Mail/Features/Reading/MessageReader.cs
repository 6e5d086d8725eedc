using System.Text;
using Suite.Mail.Features.Connection;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Features.Reading;

internal sealed record AttachmentInfo(string Section, string FileName, string ContentType, long Size);

/// <param name="Html">The HTML body as sent (unsanitized).</param>
/// <param name="InlineParts">Content-ID (without angle brackets) → section, for the message's cid: images.</param>
internal sealed record HtmlBody(string Html, IReadOnlyDictionary<string, string> InlineParts);

/// <param name="Text">The plain-text body, when the message has one and no HTML.</param>
/// <param name="Html">The HTML body as sent (unsanitized: only <see cref="HtmlView"/> may hand it to a browser).</param>
internal sealed record OpenedMessage(string Folder, uint Uid, ImapEnvelope Envelope, bool Starred, string? Text, string? Html, IReadOnlyList<AttachmentInfo> Attachments);

/// <summary>Reads one message through IMAP without downloading it whole: its structure first, then only the text
/// part it displays (capped), attachments being streamed on demand by <see cref="PartDownload"/>.</summary>
internal sealed class MessageReader(MailboxConnection connection)
{
    /// <summary>Larger bodies are cut: a webmail page is not the place for a 50 MB text part.</summary>
    private const int MaxTextBytes = 2 * 1024 * 1024;

    /// <summary>Opens the message and marks it read (the fetch itself uses BODY.PEEK and changes nothing).</summary>
    public async Task<OpenedMessage?> OpenAsync(string folder, uint uid, bool markRead, CancellationToken cancellationToken = default)
    {
        if (await StructureAsync(folder, uid, writable: markRead, cancellationToken) is not { Envelope: { } envelope, Body: { } body } summary)
            return null;
        var imap = await connection.OpenAsync(cancellationToken);
        var html = DisplayedPart(body, "html");
        var plain = DisplayedPart(body, "plain");
        var attachments = body.Leaves().Where(p => p.IsAttachment || (p != html && p != plain && p.FileName is not null))
            .Select(p => new AttachmentInfo(p.Section, p.FileName ?? "piece-jointe", p.ContentType.ToLowerInvariant(), p.Size))
            .ToList();
        var opened = new OpenedMessage(folder, uid, envelope, summary.HasFlag(ImapFlags.Flagged),
            html is null && plain is not null ? await ReadTextAsync(imap, uid, plain, cancellationToken) : null,
            html is not null ? await ReadTextAsync(imap, uid, html, cancellationToken) : null,
            attachments);
        if (markRead && !summary.HasFlag(ImapFlags.Seen))
            await imap.UidStoreFlagsAsync([uid], ImapStoreAction.Add, [ImapFlags.Seen], cancellationToken: cancellationToken);
        return opened;
    }

    /// <summary>Flags the original of a sent reply as answered.</summary>
    public async Task MarkAnsweredAsync(string folder, uint uid, CancellationToken cancellationToken = default)
    {
        var imap = await connection.OpenAsync(cancellationToken);
        await imap.SelectAsync(folder, cancellationToken: cancellationToken);
        await imap.UidStoreFlagsAsync([uid], ImapStoreAction.Add, [ImapFlags.Answered], cancellationToken: cancellationToken);
    }

    /// <summary>The HTML body only (for the sandboxed frame) and its inline parts, or null.</summary>
    public async Task<HtmlBody?> HtmlAsync(string folder, uint uid, CancellationToken cancellationToken = default)
    {
        if (await StructureAsync(folder, uid, writable: false, cancellationToken) is not { Body: { } body } || DisplayedPart(body, "html") is not { } html)
            return null;
        var inline = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in body.Leaves())
        {
            if (ContentId(part) is { } id)
                inline.TryAdd(id, part.Section);
        }
        return new HtmlBody(await ReadTextAsync(await connection.OpenAsync(cancellationToken), uid, html, cancellationToken), inline);
    }

    /// <summary>The part's Content-ID without its angle brackets, or null.</summary>
    public static string? ContentId(ImapBodyPart part) =>
        part.ContentId?.Trim().TrimStart('<').TrimEnd('>') is { Length: > 0 } id ? id : null;

    /// <summary>Selects the folder (read-only unless <paramref name="writable"/>) and fetches flags, envelope and structure.</summary>
    public async Task<ImapMessageSummary?> StructureAsync(string folder, uint uid, bool writable, CancellationToken cancellationToken = default)
    {
        var imap = await connection.OpenAsync(cancellationToken);
        if (writable)
            await imap.SelectAsync(folder, cancellationToken: cancellationToken);
        else
            await imap.ExamineAsync(folder, cancellationToken: cancellationToken);
        var found = await imap.UidFetchAsync([uid], ImapFetchItems.Summary | ImapFetchItems.BodyStructure, cancellationToken: cancellationToken);
        return found.FirstOrDefault(s => s.Uid == uid);
    }

    /// <summary>The original's headers, parsed, for the In-Reply-To and References of a reply.</summary>
    public async Task<MimeMessage?> HeadersAsync(string folder, uint uid, CancellationToken cancellationToken = default)
    {
        var imap = await connection.OpenAsync(cancellationToken);
        await imap.ExamineAsync(folder, cancellationToken: cancellationToken);
        var raw = new MemoryStream();
        if (await imap.UidFetchBodyAsync(uid, "HEADER", raw, cancellationToken: cancellationToken) is null)
            return null;
        raw.Position = 0;
        return await MimeParser.ParseAsync(raw, cancellationToken: cancellationToken);
    }

    /// <summary>The first text/<paramref name="subtype"/> leaf that is meant to be read, not downloaded.</summary>
    public static ImapBodyPart? DisplayedPart(ImapBodyPart body, string subtype) =>
        body.Leaves().FirstOrDefault(p => !p.IsAttachment
            && p.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase)
            && p.MediaSubtype.Equals(subtype, StringComparison.OrdinalIgnoreCase));

    /// <summary>Fetches one text part and decodes it (transfer encoding, then charset) with the MIME parser, by
    /// giving the parser the part's own headers rebuilt from the structure.</summary>
    private static async Task<string> ReadTextAsync(ImapClient imap, uint uid, ImapBodyPart part, CancellationToken cancellationToken)
    {
        var raw = new MemoryStream();
        var headers = $"Content-Type: {Token(part.ContentType, "text/plain")}; charset=\"{Token(part.Charset, "us-ascii")}\"\r\n" +
                      $"Content-Transfer-Encoding: {Token(part.Encoding, "7bit")}\r\n\r\n";
        raw.Write(Encoding.ASCII.GetBytes(headers));
        await imap.UidFetchBodyAsync(uid, part.Section, raw, 0, MaxTextBytes, cancellationToken);
        raw.Position = 0;
        using var parsed = await MimeParser.ParseAsync(raw, cancellationToken: cancellationToken);
        return parsed.Body is MimePart text ? await text.GetTextAsync(cancellationToken) : "";
    }

    /// <summary>A value from the server put back into a header: only token characters survive.</summary>
    internal static string Token(string? value, string fallback)
    {
        var clean = new string((value ?? "").Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '+').ToArray());
        return clean.Length == 0 ? fallback : clean;
    }
}
