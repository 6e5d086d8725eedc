using System.Security.Cryptography;
using System.Text;
using Suite.Mail.Features.Connection;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Features.Reading;

/// <summary>Streams one attachment from IMAP to the browser, decoding on the way: base64 (nearly every attachment)
/// and identity encodings never sit in memory or on disk; quoted-printable, rare for files, goes through a temporary
/// file decoded by the MIME parser.</summary>
internal sealed class PartDownload(MailboxConnection connection, MessageReader reader)
{
    public async Task<ImapBodyPart?> FindAsync(string folder, uint uid, string section, CancellationToken cancellationToken = default) =>
        (await reader.StructureAsync(folder, uid, writable: false, cancellationToken))?.Body?.Leaves().FirstOrDefault(p => p.Section == section);

    public async Task<ImapBodyPart?> FindByContentIdAsync(string folder, uint uid, string contentId, CancellationToken cancellationToken = default) =>
        (await reader.StructureAsync(folder, uid, writable: false, cancellationToken))?.Body?.Leaves()
            .FirstOrDefault(p => MessageReader.ContentId(p) == contentId.Trim().TrimStart('<').TrimEnd('>'));

    /// <summary>Copies the decoded content of <paramref name="part"/> (found by <see cref="FindAsync"/> on this
    /// connection, folder still selected) to <paramref name="destination"/>.</summary>
    public async Task CopyDecodedAsync(uint uid, ImapBodyPart part, Stream destination, CancellationToken cancellationToken = default)
    {
        var imap = await connection.OpenAsync(cancellationToken);
        switch ((part.Encoding ?? "7bit").ToLowerInvariant())
        {
            case "base64":
                await using (var decoder = new CryptoStream(destination, new FromBase64Transform(FromBase64TransformMode.IgnoreWhiteSpaces), CryptoStreamMode.Write, leaveOpen: true))
                {
                    await imap.UidFetchBodyAsync(uid, part.Section, decoder, cancellationToken: cancellationToken);
                    await decoder.FlushFinalBlockAsync(cancellationToken);
                }
                break;
            case "7bit" or "8bit" or "binary":
                await imap.UidFetchBodyAsync(uid, part.Section, destination, cancellationToken: cancellationToken);
                break;
            default:
                await CopyThroughParserAsync(imap, uid, part, destination, cancellationToken);
                break;
        }
    }

    private static async Task CopyThroughParserAsync(ImapClient imap, uint uid, ImapBodyPart part, Stream destination, CancellationToken cancellationToken)
    {
        await using var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await spool.WriteAsync(Encoding.ASCII.GetBytes($"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: {MessageReader.Token(part.Encoding, "7bit")}\r\n\r\n"), cancellationToken);
        await imap.UidFetchBodyAsync(uid, part.Section, spool, cancellationToken: cancellationToken);
        spool.Position = 0;
        using var parsed = await MimeParser.ParseAsync(spool, cancellationToken: cancellationToken);
        if (parsed.Body is MimePart content)
            await content.CopyDecodedToAsync(destination, cancellationToken);
    }
}
