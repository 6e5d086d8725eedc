namespace Suite.Mail.Protocols.Imap;

/// <summary>Base of every error the IMAP client reports; callers can catch this one type at the API boundary.</summary>
public class ImapException : Exception
{
    public ImapException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The server sent something that is not valid IMAP (or exceeds the client's limits). The connection is closed.</summary>
public sealed class ImapProtocolException : ImapException
{
    public ImapProtocolException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The connection failed, was closed by the server, or timed out. The client cannot be used any more.</summary>
public sealed class ImapConnectionException : ImapException
{
    public ImapConnectionException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>The server answered a command with NO or BAD; the connection stays usable.</summary>
public class ImapCommandException : ImapException
{
    public ImapCommandException(string command, ImapStatus status, string? responseCode, string text)
        : base($"IMAP {command} failed: {status} {(responseCode is null ? string.Empty : $"[{responseCode}] ")}{text}")
    {
        Command = command;
        Status = status;
        ResponseCode = responseCode;
        ServerText = text;
    }

    /// <summary>The command name (e.g. "SELECT"), never its arguments, which may hold secrets.</summary>
    public string Command { get; }

    public ImapStatus Status { get; }

    /// <summary>The response code name, e.g. "AUTHENTICATIONFAILED", "TRYCREATE", "NONEXISTENT", or null.</summary>
    public string? ResponseCode { get; }

    /// <summary>The human-readable text the server sent.</summary>
    public string ServerText { get; }
}

/// <summary>Login or authentication was refused (wrong credentials, mechanism disabled, account locked).</summary>
public sealed class ImapAuthenticationException : ImapCommandException
{
    public ImapAuthenticationException(string command, ImapStatus status, string? responseCode, string text)
        : base(command, status, responseCode, text)
    {
    }
}

public enum ImapStatus
{
    Ok,
    No,
    Bad,
    Bye,
    PreAuth,
}
