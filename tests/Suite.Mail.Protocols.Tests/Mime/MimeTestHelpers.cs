using System.Text;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>Shared helpers: fixtures are written with LF in source and converted to CRLF unless a test says otherwise.</summary>
internal static class MimeTestHelpers
{
    public static byte[] Crlf(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    public static Task<MimeMessage> ParseAsync(string text, bool seekable = true, MimeParserOptions? options = null) =>
        ParseAsync(Crlf(text), seekable, options);

    public static Task<MimeMessage> ParseAsync(byte[] bytes, bool seekable = true, MimeParserOptions? options = null)
    {
        Stream stream = seekable ? new MemoryStream(bytes, writable: false) : new NonSeekableStream(new MemoryStream(bytes, writable: false));
        return MimeParser.ParseAsync(stream, options);
    }

    public static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    public static async Task<string> ReadAsciiAsync(Stream stream) => Encoding.Latin1.GetString(await ReadAllAsync(stream));

    public static async Task<byte[]> BuildAsync(MimeMessageBuilder builder)
    {
        using var output = new MemoryStream();
        await builder.WriteToAsync(output);
        return output.ToArray();
    }

    public static MimePart Part(MimeEntity entity) => Assert.IsType<MimePart>(entity);

    public static Multipart Multi(MimeEntity entity) => Assert.IsType<Multipart>(entity);
}

/// <summary>Hides seekability and optionally returns at most <paramref name="maxChunk"/> bytes per read, like a socket.</summary>
internal sealed class NonSeekableStream(Stream inner, int maxChunk = int.MaxValue) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, maxChunk));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer[..Math.Min(buffer.Length, maxChunk)], cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, Math.Min(count, maxChunk), cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
