namespace Suite.Mail.Protocols.Mime;

/// <summary>An entity to write: its own header lines (already folded) and a body writer.</summary>
internal abstract class BuildNode
{
    public List<string> HeaderLines { get; } = [];

    public async ValueTask WriteAsync(MimeWriter writer, CancellationToken cancellationToken)
    {
        foreach (var line in HeaderLines)
        {
            await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        }

        await writer.WriteAsync("\r\n", cancellationToken).ConfigureAwait(false);
        await WriteBodyAsync(writer, cancellationToken).ConfigureAwait(false);
    }

    protected abstract ValueTask WriteBodyAsync(MimeWriter writer, CancellationToken cancellationToken);
}

/// <summary>A leaf: already encoded bytes, or a stream opened at write time and base64-encoded.</summary>
internal sealed class LeafNode : BuildNode
{
    public byte[]? EncodedBody { get; init; }

    public Func<Stream>? OpenForBase64 { get; init; }

    protected override async ValueTask WriteBodyAsync(MimeWriter writer, CancellationToken cancellationToken)
    {
        if (EncodedBody is not null)
        {
            await writer.WriteAsync(EncodedBody, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (OpenForBase64 is not null)
        {
            var source = OpenForBase64() ?? throw new InvalidOperationException("An attachment content factory returned null.");
            await using (source.ConfigureAwait(false))
            {
                await writer.WriteBase64Async(source, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>A multipart: delimiter, child, CRLF before the next delimiter, close delimiter (RFC 2046 §5.1.1).</summary>
internal sealed class MultipartNode(string boundary) : BuildNode
{
    public string Boundary { get; } = boundary;

    public List<BuildNode> Children { get; } = [];

    protected override async ValueTask WriteBodyAsync(MimeWriter writer, CancellationToken cancellationToken)
    {
        foreach (var child in Children)
        {
            await writer.WriteAsync("--" + Boundary + "\r\n", cancellationToken).ConfigureAwait(false);
            await child.WriteAsync(writer, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync("\r\n", cancellationToken).ConfigureAwait(false);
        }

        await writer.WriteAsync("--" + Boundary + "--\r\n", cancellationToken).ConfigureAwait(false);
    }
}
