using System.Text;

namespace Suite.Mail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>
    /// Waits for changes in the selected mailbox with IDLE (RFC 2177), reporting them through
    /// <see cref="MailboxChanged"/>, until <paramref name="doneToken"/> fires: then DONE is sent and the method returns
    /// normally once the server ends the command. IDLE is restarted every
    /// <see cref="ImapClientOptions.IdleRestartInterval"/>. Without IDLE support it polls with NOOP.
    /// <paramref name="cancellationToken"/> aborts instead, dropping the connection.
    /// </summary>
    public async Task IdleAsync(CancellationToken doneToken, CancellationToken cancellationToken = default)
    {
        if (Selected is null)
        {
            throw new InvalidOperationException("Select a mailbox before idling.");
        }

        while (!doneToken.IsCancellationRequested)
        {
            if (HasCapability("IDLE"))
            {
                await IdleOnceAsync(doneToken, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await NoopAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), doneToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (doneToken.IsCancellationRequested)
                {
                }
            }
        }
    }

    private async Task IdleOnceAsync(CancellationToken doneToken, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfBroken();
            var response = await GuardAsync(() => RunIdleAsync(doneToken, cancellationToken)).ConfigureAwait(false);
            if (response.Status != ImapStatus.Ok)
            {
                throw new ImapCommandException("IDLE", response.Status ?? ImapStatus.Bad, response.Code?.Name, response.Text);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ImapResponse> RunIdleAsync(CancellationToken doneToken, CancellationToken cancellationToken)
    {
        var tag = NextTag();
        await _connection.WriteAsync(Encoding.ASCII.GetBytes(tag + " IDLE\r\n"), cancellationToken).ConfigureAwait(false);
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        var refused = await ReadUntilContinuationAsync(tag, null, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        // The pending read is never cancelled to stop idling (that could cut a response in half): DONE is written
        // beside it, and the read then ends with the tagged OK. Only a server that never answers DONE times out.
        var reader = _connection.Reader;
        var normalTimeout = reader.ReadTimeout;
        using var restart = new CancellationTokenSource(_options.IdleRestartInterval);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(doneToken, restart.Token);
        using var answerDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? doneSent = null;
        var doneLock = new object();
        var finished = false;
        reader.ReadTimeout = Timeout.InfiniteTimeSpan;
        var registration = stop.Token.Register(() =>
        {
            lock (doneLock)
            {
                // A server may end IDLE by itself (tagged response before DONE): then DONE must not follow.
                if (!finished)
                {
                    doneSent = SendDoneAsync(cancellationToken);
                    answerDeadline.CancelAfter(normalTimeout);
                }
            }
        });
        try
        {
            var response = await ReadUntilTaggedAsync(tag, null, null, null, answerDeadline.Token).ConfigureAwait(false);
            lock (doneLock)
            {
                finished = true;
            }

            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImapConnectionException($"The IMAP server did not end IDLE within {normalTimeout.TotalSeconds:0} s.");
        }
        finally
        {
            // Waits for a callback in progress, so no DONE write can outlive this command.
            await registration.DisposeAsync().ConfigureAwait(false);
            if (doneSent is not null)
            {
                await doneSent.ConfigureAwait(false);
            }

            reader.ReadTimeout = normalTimeout;
        }
    }

    private async Task SendDoneAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connection.WriteAsync("DONE\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ImapConnectionException)
        {
            // The read beside it reports the lost connection.
        }
        catch (OperationCanceledException)
        {
        }
    }
}
