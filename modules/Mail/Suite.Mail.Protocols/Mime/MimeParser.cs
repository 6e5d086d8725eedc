namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Streaming parser for RFC 5322 / MIME (RFC 2045–2049) messages.
/// <para>
/// <b>Part storage.</b> The parser reads the source once, front to back, through a 64 KiB buffer and never keeps body
/// bytes in the object model: every entity records byte offsets (header start, body start, body end) into a single
/// per-message <c>ContentStore</c>, and content is streamed from that store on demand, transfer-decoded on the fly.
/// A seekable source (file, memory) is itself the store, read in place with positional reads, so nothing is copied;
/// it must stay open and unchanged while the message is used. A non-seekable source (socket, IMAP literal) is teed
/// into a spool while it is parsed: in memory up to <see cref="MimeParserOptions.SpoolThreshold"/> (256 KiB by
/// default), then in a temporary file readable only by the current user and deleted when the message is disposed.
/// The raw bytes of the whole message and of every entity therefore stay available (view source, save as .eml,
/// forward as attachment) at the cost of one copy for non-seekable sources.
/// </para>
/// <para>
/// <b>Robustness.</b> Malformed input never throws: only I/O errors and cancellation escape. Repairs are listed in
/// <see cref="MimeMessage.Warnings"/>. Nesting is limited to <see cref="MimeParserOptions.MaxNestingDepth"/> (64),
/// entities to <see cref="MimeParserOptions.MaxParts"/>, header blocks to <see cref="MimeParserOptions.MaxHeaderBytes"/>.
/// </para>
/// </summary>
public static class MimeParser
{
    /// <summary>Parses a message from <paramref name="source"/>, which is read to its end but not disposed.</summary>
    public static Task<MimeMessage> ParseAsync(Stream source, MimeParserOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ParseCoreAsync(source, ownsSource: false, options ?? MimeParserOptions.Default, cancellationToken);
    }

    /// <summary>Parses a message file; the returned message keeps the file open until it is disposed.</summary>
    public static async Task<MimeMessage> ParseFileAsync(string path, MimeParserOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        try
        {
            var inPlace = (options ?? MimeParserOptions.Default).ReadSeekableSourceInPlace;
            var message = await ParseCoreAsync(file, ownsSource: inPlace, options ?? MimeParserOptions.Default, cancellationToken).ConfigureAwait(false);
            if (!inPlace)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }

            return message;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<MimeMessage> ParseCoreAsync(Stream source, bool ownsSource, MimeParserOptions options, CancellationToken cancellationToken)
    {
        SpoolStore? spool = null;
        SeekableSourceStore? seekable = null;
        ContentStore store;
        if (source.CanSeek && options.ReadSeekableSourceInPlace)
        {
            store = seekable = new SeekableSourceStore(source, source.Position, ownsSource);
        }
        else
        {
            store = spool = new SpoolStore(options.SpoolThreshold, options.TempDirectory);
        }

        try
        {
            using var reader = new MimeReader(source, spool);
            var warnings = new List<MimeParseWarning>();
            var parser = new EntityParser(reader, store, options, warnings);
            var (root, _) = await parser.ParseEntityAsync(0, ContentType.Default, cancellationToken).ConfigureAwait(false);
            if (spool is not null)
            {
                await spool.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            seekable?.SetLength(reader.Position);
            return new MimeMessage(root, ownsStore: true, warnings);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }
}
