namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Recursive-descent MIME structure parser over a <see cref="MimeReader"/>. Each call parses one entity and returns it
/// with the delimiter (or end of input) that ended it, so an enclosing multipart knows whether to read another part,
/// to close, or to let an outer multipart continue (a missing close delimiter is then tolerated).
/// </summary>
internal sealed class EntityParser
{
    private readonly MimeReader _reader;
    private readonly ContentStore _store;
    private readonly MimeParserOptions _options;
    private readonly List<MimeParseWarning> _warnings;
    private readonly BoundaryStack _boundaries = new();
    private readonly BodyScanner _scanner;
    private readonly HeaderBlockReader _headerReader;
    private int _entities;

    public EntityParser(MimeReader reader, ContentStore store, MimeParserOptions options, List<MimeParseWarning> warnings)
    {
        _reader = reader;
        _store = store;
        _options = options;
        _warnings = warnings;
        _scanner = new BodyScanner(reader, _boundaries);
        _headerReader = new HeaderBlockReader(reader, _boundaries, options, warnings);
    }

    public async Task<(MimeEntity Entity, BoundaryHit Hit)> ParseEntityAsync(int depth, ContentType defaultType, CancellationToken cancellationToken)
    {
        _entities++;
        var offset = _reader.Position;
        var headers = new HeaderList();
        var (end, headerHit) = await _headerReader.ReadAsync(headers, cancellationToken).ConfigureAwait(false);
        var contentTypeHeader = headers.Find("Content-Type");
        var type = contentTypeHeader is null ? defaultType : ContentType.Parse(contentTypeHeader.RawValue);

        if (end is HeaderBlockReader.End.Boundary or HeaderBlockReader.End.EndOfInput)
        {
            var stop = Math.Max(offset, headerHit.ContentEnd);
            return (new MimePart(Init(headers, type, offset, stop, stop)), headerHit);
        }

        var bodyOffset = _reader.Position;
        if (type.IsMultipart)
        {
            if (string.IsNullOrWhiteSpace(type.Boundary))
            {
                Warn(MimeWarningKind.MissingBoundaryParameter, bodyOffset);
            }
            else if (depth >= _options.MaxNestingDepth)
            {
                Warn(MimeWarningKind.NestingTooDeep, bodyOffset);
            }
            else
            {
                return await ParseMultipartAsync(headers, type, offset, bodyOffset, depth, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (IsEmbeddedMessage(type, headers))
        {
            if (depth >= _options.MaxNestingDepth)
            {
                Warn(MimeWarningKind.NestingTooDeep, bodyOffset);
            }
            else
            {
                var (inner, innerHit) = await ParseEntityAsync(depth + 1, ContentType.Default, cancellationToken).ConfigureAwait(false);
                var message = new MimeMessage(inner, ownsStore: false, []);
                return (new MessagePart(Init(headers, type, offset, bodyOffset, innerHit.ContentEnd), message), innerHit);
            }
        }

        var hit = await _scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
        return (new MimePart(Init(headers, type, offset, bodyOffset, Math.Max(bodyOffset, hit.ContentEnd))), hit);
    }

    private async Task<(MimeEntity Entity, BoundaryHit Hit)> ParseMultipartAsync(
        HeaderList headers, ContentType type, long offset, long bodyOffset, int depth, CancellationToken cancellationToken)
    {
        _boundaries.Push(type.Boundary!);
        var myIndex = _boundaries.Count - 1;
        var childDefault = type.Is("multipart", "digest") ? ContentType.DigestDefault : ContentType.Default;

        var hit = await _scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
        var preambleLength = Math.Max(0, hit.ContentEnd - bodyOffset);
        var children = new List<MimeEntity>();
        var tooManyWarned = false;
        while (hit.Index == myIndex && !hit.IsClose)
        {
            if (_entities >= _options.MaxParts)
            {
                if (!tooManyWarned)
                {
                    Warn(MimeWarningKind.TooManyParts, _reader.Position);
                    tooManyWarned = true;
                }

                hit = await _scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            MimeEntity child;
            (child, hit) = await ParseEntityAsync(depth + 1, childDefault, cancellationToken).ConfigureAwait(false);
            children.Add(child);
        }

        _boundaries.Pop();
        long epilogueOffset;
        long epilogueLength;
        if (hit.Index == myIndex)
        {
            epilogueOffset = _reader.Position;
            hit = await _scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
            epilogueLength = Math.Max(0, hit.ContentEnd - epilogueOffset);
        }
        else
        {
            Warn(MimeWarningKind.MissingFinalBoundary, hit.ContentEnd);
            epilogueOffset = hit.ContentEnd;
            epilogueLength = 0;
        }

        var multipart = new Multipart(Init(headers, type, offset, bodyOffset, Math.Max(bodyOffset, hit.ContentEnd)))
        {
            PreambleOffset = bodyOffset,
            PreambleLength = preambleLength,
            EpilogueOffset = epilogueOffset,
            EpilogueLength = epilogueLength,
        };
        foreach (var child in children)
        {
            multipart.Add(child);
        }

        return (multipart, hit);
    }

    private static bool IsEmbeddedMessage(ContentType type, HeaderList headers) =>
        type.MediaType == "message"
        && type.MediaSubtype is "rfc822" or "global"
        && TransferEncodings.IsIdentity(TransferEncodings.Normalize(headers.Find("Content-Transfer-Encoding")?.RawValue));

    private EntityInit Init(HeaderList headers, ContentType type, long offset, long bodyOffset, long endOffset) =>
        new(headers, type, _store, offset, bodyOffset, endOffset);

    private void Warn(MimeWarningKind kind, long offset)
    {
        if (_warnings.Count < 100)
        {
            _warnings.Add(new MimeParseWarning(kind, offset));
        }
    }
}
