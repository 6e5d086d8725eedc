using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Suite.Mail.Protocols.Smtp;

/// <summary>
/// Socket, optional TLS, reply reader and timed writes under an <see cref="SmtpClient"/>. Transport failures become
/// <see cref="SmtpConnectionException"/>, malformed replies <see cref="SmtpProtocolException"/>; either breaks it for good.
/// </summary>
internal sealed class SmtpTransport : IAsyncDisposable
{
    private const int MaxLineLength = 8192;
    private const int MaxReplyLines = 1000;
    private readonly TcpClient? _tcp;
    private readonly TimeSpan _timeout;
    private readonly byte[] _buffer = new byte[MaxLineLength + 2];
    private Stream _stream;
    private int _start;
    private int _end;

    internal SmtpTransport(Stream stream, TimeSpan timeout, TcpClient? tcp = null)
    {
        _stream = stream;
        _timeout = timeout;
        _tcp = tcp;
    }

    public bool IsBroken { get; private set; }

    public bool IsEncrypted => _stream is SslStream;

    public static async Task<SmtpTransport> OpenAsync(SmtpClientOptions options, CancellationToken cancellationToken)
    {
        var tcp = await MailSocket.ConnectAsync(options.Host, options.Port, options.Timeout,
            (message, inner) => inner is null ? new SmtpConnectionException(message) : new SmtpConnectionException(message, inner), cancellationToken).ConfigureAwait(false);
        try
        {
            var transport = new SmtpTransport(tcp.GetStream(), options.Timeout, tcp);
            if (options.Tls == MailTlsMode.Implicit)
            {
                await transport.StartTlsAsync(options, cancellationToken).ConfigureAwait(false);
            }

            return transport;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task StartTlsAsync(SmtpClientOptions options, CancellationToken cancellationToken)
    {
        if (_end > _start)
        {
            // Bytes received before the handshake could be injected by a man in the middle (CVE-2011-0411 class).
            Break();
            throw new SmtpProtocolException("The server sent data before the TLS handshake.");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = options.TlsServerName ?? options.Host,
                    RemoteCertificateValidationCallback = options.CertificateValidation,
                },
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            Break();
            throw new SmtpConnectionException("TLS handshake with the SMTP server failed: " + e.Message, e);
        }

        _stream = ssl;
    }

    /// <summary>Reads one reply: lines "ddd-text" continue it, "ddd text" (or "ddd") ends it (RFC 5321 §4.2.1).</summary>
    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        int? code = null;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var lineCode)
                || lineCode is < 200 or > 599 || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                Break();
                throw new SmtpProtocolException("Malformed SMTP reply: " + (line.Length > 200 ? line[..200] : line));
            }

            if (code is not null && code != lineCode)
            {
                Break();
                throw new SmtpProtocolException($"SMTP reply mixes codes {code} and {lineCode}.");
            }

            code = lineCode;
            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(lineCode, lines) { EnhancedStatusCode = EnhancedStatus(lineCode, lines[0]) };
            }

            if (lines.Count >= MaxReplyLines)
            {
                Break();
                throw new SmtpProtocolException("SMTP reply has too many lines.");
            }
        }
    }

    public async ValueTask WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Break();
            throw new SmtpConnectionException($"The SMTP server did not accept data within {_timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Break();
            throw new SmtpConnectionException("The connection to the SMTP server was lost: " + e.Message, e);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Break();
            throw new SmtpConnectionException("The connection to the SMTP server was lost: " + e.Message, e);
        }
    }

    public void Break()
    {
        IsBroken = true;
        _stream.Dispose();
        _tcp?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        IsBroken = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp?.Dispose();
    }

    private static string? EnhancedStatus(int code, string text)
    {
        // class.subject.detail where class matches the reply's first digit (RFC 3463 / RFC 2034).
        var space = text.IndexOf(' ');
        var candidate = space < 0 ? text : text[..space];
        var parts = candidate.Split('.');
        return parts.Length == 3 && parts[0] == (code / 100).ToString(CultureInfo.InvariantCulture)
            && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit))
            ? candidate
            : null;
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (lf >= 0)
            {
                var end = lf > _start && _buffer[lf - 1] == (byte)'\r' ? lf - 1 : lf;
                var line = Encoding.UTF8.GetString(_buffer, _start, end - _start);
                _start = lf + 1;
                return line;
            }

            scanned = _end - _start;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, scanned);
                _start = 0;
                _end = scanned;
            }

            if (_end == _buffer.Length)
            {
                Break();
                throw new SmtpProtocolException($"SMTP reply line longer than {MaxLineLength} bytes.");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Break();
                throw new SmtpConnectionException($"The SMTP server did not answer within {_timeout.TotalSeconds:0} s.");
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                Break();
                throw new SmtpConnectionException("The connection to the SMTP server was lost: " + e.Message, e);
            }

            if (read == 0)
            {
                Break();
                throw new SmtpConnectionException("The SMTP server closed the connection.");
            }

            _end += read;
        }
    }
}
