using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement
{
}

/// <summary>
/// A 50 MB attachment generated on the fly through a non-seekable stream: the parser spools it to a temporary file and
/// the allocations during parsing and during decoding stay a small fraction of the attachment size.
/// Runs alone (no parallel tests) because it measures process-wide allocations.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class LargeMessageTests
{
    private const int AttachmentSize = 50 * 1024 * 1024;
    private const long AllocationBudget = 8 * 1024 * 1024; // about 1/6 of the attachment; measured ≈ 2 MB

    [Fact]
    public async Task FiftyMegabyteAttachmentIsStreamedWithBoundedMemory()
    {
        var generator = new GeneratedMessageStream(AttachmentSize);
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var message = await MimeParser.ParseAsync(generator);
        var parseAllocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(parseAllocated < AllocationBudget, $"parsing allocated {parseAllocated:N0} bytes");
        Assert.Empty(message.Warnings);
        var spool = Assert.IsType<SpoolStore>(message.Body.Store);
        Assert.True(spool.IsFileBacked);
        Assert.True(File.Exists(spool.FilePath));

        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("big.bin", attachment.FileName);
        Assert.Equal("see attachment", await (message.TextBody ?? throw new InvalidOperationException()).GetTextAsync());

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var decoded = attachment.OpenDecodedRead())
        {
            int n;
            while ((n = await decoded.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
            }
        }

        var readAllocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(readAllocated < AllocationBudget, $"decoding allocated {readAllocated:N0} bytes");
        Assert.Equal(AttachmentSize, total);
        Assert.Equal(generator.ExpectedHash, hash.GetHashAndReset());

        var path = spool.FilePath;
        message.Dispose();
        Assert.False(File.Exists(path), "the spool file is deleted on dispose");
    }

    [Fact]
    public async Task SmallNonSeekableMessagesStayInMemory()
    {
        var bytes = MimeTestHelpers.Crlf(RealWorldFixtureTests.Outlook);
        using var message = await MimeParser.ParseAsync(new NonSeekableStream(new MemoryStream(bytes)));
        var spool = Assert.IsType<SpoolStore>(message.Body.Store);
        Assert.False(spool.IsFileBacked);
        Assert.Equal(bytes.Length, spool.Length);

        using var big = await MimeParser.ParseAsync(new NonSeekableStream(new MemoryStream(bytes)), new MimeParserOptions { SpoolThreshold = 100 });
        Assert.True(Assert.IsType<SpoolStore>(big.Body.Store).IsFileBacked);
        Assert.Equal(bytes, await MimeTestHelpers.ReadAllAsync(big.OpenRawRead()));
    }

    /// <summary>
    /// Produces headers, a text part and a base64 attachment of pseudo-random bytes, a line group at a time, from
    /// fixed buffers; <see cref="ExpectedHash"/> is the SHA-256 of the attachment bytes.
    /// </summary>
    private sealed class GeneratedMessageStream : Stream
    {
        private const int RawChunk = 57 * 1024;
        private readonly byte[] _head = Encoding.ASCII.GetBytes(
            "From: generator@example.org\r\nSubject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"big-boundary\"\r\n\r\n" +
            "--big-boundary\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n" +
            "--big-boundary\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.bin\r\n" +
            "Content-Transfer-Encoding: base64\r\n\r\n");

        private readonly byte[] _tail = Encoding.ASCII.GetBytes("\r\n--big-boundary--\r\n");
        private readonly byte[] _raw = new byte[RawChunk];
        private readonly byte[] _encoded = new byte[RawChunk / 57 * 78];
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly long _size;
        private long _generated;
        private ulong _state = 0x9E3779B97F4A7C15;
        private int _phase;
        private byte[] _current;
        private int _offset;
        private int _length;

        public GeneratedMessageStream(long size)
        {
            _size = size;
            _current = _head;
            _length = _head.Length;
        }

        public byte[] ExpectedHash { get; private set; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_offset == _length)
            {
                if (!Advance())
                {
                    return 0;
                }
            }

            var n = Math.Min(buffer.Length, _length - _offset);
            _current.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        private bool Advance()
        {
            _offset = 0;
            if (_phase == 0 && _generated < _size)
            {
                var chunk = (int)Math.Min(RawChunk, _size - _generated);
                Fill(_raw.AsSpan(0, chunk));
                _hash.AppendData(_raw, 0, chunk);
                _generated += chunk;
                _length = 0;
                for (var at = 0; at < chunk; at += 57)
                {
                    Base64.EncodeToUtf8(_raw.AsSpan(at, Math.Min(57, chunk - at)), _encoded.AsSpan(_length), out _, out var written);
                    _length += written;
                    _encoded[_length++] = (byte)'\r';
                    _encoded[_length++] = (byte)'\n';
                }

                _current = _encoded;
                return true;
            }

            if (_phase == 0)
            {
                ExpectedHash = _hash.GetHashAndReset();
                _phase = 1;
                _current = _tail;
                _length = _tail.Length;
                return true;
            }

            return false;
        }

        private void Fill(Span<byte> span)
        {
            for (var i = 0; i < span.Length; i++)
            {
                _state ^= _state << 13;
                _state ^= _state >> 7;
                _state ^= _state << 17;
                span[i] = (byte)_state;
            }
        }

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
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
