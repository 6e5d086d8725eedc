namespace Suite.Mail.Protocols.Smtp;

/// <summary>Base of every error the SMTP client reports.</summary>
public class SmtpException : Exception
{
    public SmtpException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The connection failed, was closed, or timed out; the client cannot be used any more.</summary>
public sealed class SmtpConnectionException : SmtpException
{
    public SmtpConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The server sent something that is not a valid SMTP reply; the connection is closed.</summary>
public sealed class SmtpProtocolException : SmtpException
{
    public SmtpProtocolException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// The server refused a command. Carries the reply code, the enhanced status code (RFC 3463, e.g. "5.1.1") and the
/// server's own text, so the user sees why (mailbox unknown, quota, policy…).
/// </summary>
public class SmtpCommandException : SmtpException
{
    public SmtpCommandException(string command, SmtpReply reply)
        : base($"SMTP {command} refused: {reply}")
    {
        Command = command;
        Reply = reply;
    }

    /// <summary>The command verb only (arguments may hold credentials).</summary>
    public string Command { get; }

    public SmtpReply Reply { get; }

    public int Code => Reply.Code;

    public string? EnhancedStatusCode => Reply.EnhancedStatusCode;

    public string ServerText => Reply.Text;

    /// <summary>True for 4xx replies: trying again later may succeed.</summary>
    public bool IsTransient => Reply.Code is >= 400 and < 500;
}

/// <summary>Authentication was refused (usually 535 5.7.8).</summary>
public sealed class SmtpAuthenticationException : SmtpCommandException
{
    public SmtpAuthenticationException(string command, SmtpReply reply)
        : base(command, reply)
    {
    }
}

/// <summary>No recipient was accepted; <see cref="Rejected"/> says why for each.</summary>
public sealed class SmtpRecipientsRejectedException : SmtpException
{
    public SmtpRecipientsRejectedException(IReadOnlyList<SmtpRejectedRecipient> rejected)
        : base("Every recipient was refused: " + string.Join("; ", rejected.Select(r => $"{r.Address}: {r.Reply}")))
    {
        Rejected = rejected;
    }

    public IReadOnlyList<SmtpRejectedRecipient> Rejected { get; }
}

/// <summary>The message is larger than the server's advertised SIZE limit; nothing was sent.</summary>
public sealed class SmtpMessageTooLargeException : SmtpException
{
    public SmtpMessageTooLargeException(long size, long limit)
        : base($"The message ({size} bytes) exceeds the server's limit of {limit} bytes.")
    {
        Size = size;
        Limit = limit;
    }

    public long Size { get; }

    public long Limit { get; }
}
