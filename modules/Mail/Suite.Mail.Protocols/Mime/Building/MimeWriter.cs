using System.Buffers.Text;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>Buffered output for the builder; base64 content is streamed from its source in 57-byte line groups.</summary>
internal sealed class MimeWriter(Stream destination)
{
    private const int LineBytes = 57; // 76 base64 characters per line
    private readonly byte[] _buffer = new byte[32 * 1024];
    private int _count;

    public ValueTask WriteAsync(string text, CancellationToken cancellationToken) =>
        WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            if (_count == _buffer.Length)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var n = Math.Min(bytes.Length, _buffer.Length - _count);
            bytes.Span[..n].CopyTo(_buffer.AsSpan(_count));
            _count += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Writes <paramref name="source"/> as base64 lines of 76 characters, each ended by CRLF.</summary>
    public async ValueTask WriteBase64Async(Stream source, CancellationToken cancellationToken)
    {
        var input = new byte[LineBytes * 512];
        var line = new byte[78];
        while (true)
        {
            var read = await source.ReadAtLeastAsync(input, input.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            for (var offset = 0; offset < read; offset += LineBytes)
            {
                var chunk = input.AsSpan(offset, Math.Min(LineBytes, read - offset));
                Base64.EncodeToUtf8(chunk, line, out _, out var written);
                line[written] = (byte)'\r';
                line[written + 1] = (byte)'\n';
                await WriteAsync(line.AsMemory(0, written + 2), cancellationToken).ConfigureAwait(false);
            }

            if (read < input.Length)
            {
                return;
            }
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_count > 0)
        {
            await destination.WriteAsync(_buffer.AsMemory(0, _count), cancellationToken).ConfigureAwait(false);
            _count = 0;
        }
    }
}
