using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// The transport under an <see cref="ImapClient"/>: socket, optional TLS, response reader and timed writes. Every
/// transport failure becomes an <see cref="ImapConnectionException"/> and leaves the connection broken for good.
/// </summary>
internal sealed class ImapConnection : IAsyncDisposable
{
    private readonly TcpClient? _tcp;
    private readonly TimeSpan _timeout;
    private Stream _stream;

    internal ImapConnection(Stream stream, TimeSpan timeout, TcpClient? tcp = null)
    {
        _stream = stream;
        _tcp = tcp;
        _timeout = timeout;
        Reader = new ImapResponseReader(stream) { ReadTimeout = timeout };
    }

    public ImapResponseReader Reader { get; }

    public bool IsBroken { get; private set; }

    public bool IsEncrypted => _stream is SslStream;

    /// <summary>Negotiated protocol and cipher suite, e.g. "Tls13 TLS_AES_256_GCM_SHA384"; null without TLS.</summary>
    public string? TlsDescription => _stream is SslStream ssl ? $"{ssl.SslProtocol} {ssl.NegotiatedCipherSuite}" : null;

    public static async Task<ImapConnection> OpenAsync(ImapClientOptions options, CancellationToken cancellationToken)
    {
        var tcp = await MailSocket.ConnectAsync(options.Host, options.Port, options.Timeout,
            (message, inner) => inner is null ? new ImapConnectionException(message) : new ImapConnectionException(message, inner), cancellationToken).ConfigureAwait(false);
        options.PhaseCompleted?.Invoke("tcp");
        try
        {
            var connection = new ImapConnection(tcp.GetStream(), options.Timeout, tcp);
            if (options.Tls == MailTlsMode.Implicit)
            {
                await connection.StartTlsAsync(options, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async Task StartTlsAsync(ImapClientOptions options, CancellationToken cancellationToken)
    {
        if (Reader.HasBufferedData)
        {
            // Bytes received before the handshake could be injected by a man in the middle (CVE-2011-0411 class).
            Break();
            throw new ImapProtocolException("The server sent data before the TLS handshake.");
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
            throw new ImapConnectionException("TLS handshake with the IMAP server failed: " + e.Message, e);
        }

        _stream = ssl;
        Reader.ReplaceStream(ssl);
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
            throw new ImapConnectionException($"The IMAP server did not accept data within {_timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Break();
            throw new ImapConnectionException("The connection to the IMAP server was lost: " + e.Message, e);
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
            throw new ImapConnectionException("The connection to the IMAP server was lost: " + e.Message, e);
        }
    }

    /// <summary>Copies exactly <paramref name="length"/> bytes of a literal from <paramref name="source"/>.</summary>
    public async ValueTask WriteLiteralAsync(Stream source, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var remaining = length;
        while (remaining > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                // The literal's length was announced: the command cannot be completed, so the connection is lost.
                Break();
                throw new ArgumentException($"The content stream ended {remaining} bytes before its announced length.");
            }

            await WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            remaining -= read;
        }
    }

    /// <summary>Marks the connection unusable and closes the socket (state is unknown after a failure mid-command).</summary>
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
}
