namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Forward-only stream that decodes base64 or quoted-printable from an encoded inner stream, a buffer at a time;
/// memory use is constant whatever the content size.
/// </summary>
internal sealed class TransferDecodingStream : ReadOnlyStream
{
    private const int InputSize = 16 * 1024;

    private readonly Stream _inner;
    private readonly bool _base64;
    private readonly byte[] _input = new byte[InputSize];
    private readonly byte[] _output = new byte[InputSize + 32];
    private Base64Core _base64Core;
    private QuotedPrintableCore _qpCore;
    private int _outPos;
    private int _outLen;
    private bool _innerDone;

    public TransferDecodingStream(Stream inner, bool base64)
    {
        _inner = inner;
        _base64 = base64;
    }

    public override int Read(Span<byte> buffer)
    {
        while (_outPos == _outLen)
        {
            if (_innerDone)
            {
                return 0;
            }

            Decode(_inner.Read(_input));
        }

        return Drain(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_outPos == _outLen)
        {
            if (_innerDone)
            {
                return 0;
            }

            Decode(await _inner.ReadAsync(_input, cancellationToken).ConfigureAwait(false));
        }

        return Drain(buffer.Span);
    }

    private void Decode(int read)
    {
        _outPos = 0;
        if (read == 0)
        {
            _innerDone = true;
            _outLen = _base64 ? _base64Core.Flush(_output) : _qpCore.Flush(_output);
            return;
        }

        var input = _input.AsSpan(0, read);
        _outLen = _base64 ? _base64Core.Decode(input, _output) : _qpCore.Decode(input, _output);
    }

    private int Drain(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _outLen - _outPos);
        _output.AsSpan(_outPos, n).CopyTo(buffer);
        _outPos += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
