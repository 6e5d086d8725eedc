using System.Security.Authentication;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Features.Connection;

/// <summary>Why the mailbox cannot be used now, as a resource key (and an optional detail from the server) that
/// pages show instead of a stack trace.</summary>
internal sealed class MailUnavailableException(string key, string? detail = null, Exception? inner = null) : Exception(key, inner)
{
    public string Key { get; } = key;
    public string? Detail { get; } = detail;
}

/// <summary>Turns what the protocol engine throws into a message a person understands.</summary>
internal static class MailErrors
{
    public const string NotConfigured = "Error.NotConfigured";
    public const string NoAccount = "Error.NoAccount";
    public const string WrongPassword = "Error.WrongPassword";
    /// <summary>The saved password was refused earlier: not tried again until the person saves it anew.</summary>
    public const string WrongPasswordStored = "Error.WrongPasswordStored";
    public const string Unreachable = "Error.Unreachable";
    public const string Tls = "Error.Tls";
    public const string Server = "Error.Server";
    public const string RecipientsRefused = "Error.RecipientsRefused";
    public const string TooLarge = "Error.TooLarge";
    public const string SendRefused = "Error.SendRefused";
    public const string MessageGone = "Error.MessageGone";
    public const string NoDrafts = "Error.NoDrafts";

    public static bool IsMailFailure(Exception error) => error is ImapException or SmtpException or MailUnavailableException or IOException or TimeoutException;

    public static MailUnavailableException Explain(Exception error) => error switch
    {
        MailUnavailableException known => known,
        ImapAuthenticationException or SmtpAuthenticationException => new(WrongPassword, inner: error),
        ImapConnectionException or SmtpConnectionException when IsTls(error) => new(Tls, error.InnerException?.Message, error),
        ImapProtocolException or SmtpProtocolException when IsTls(error) => new(Tls, error.Message, error),
        ImapConnectionException or SmtpConnectionException or IOException or TimeoutException => new(Unreachable, error.Message, error),
        ImapCommandException { Command: "STARTTLS" } or SmtpCommandException { Command: "STARTTLS" } => new(Tls, null, error),
        SmtpRecipientsRejectedException rejected => new(RecipientsRefused, string.Join(", ", rejected.Rejected.Select(r => $"{r.Address} ({r.Reply.Code} {r.Reply.Text})")), error),
        SmtpMessageTooLargeException => new(TooLarge, inner: error),
        SmtpCommandException refused => new(SendRefused, $"{refused.Code} {refused.ServerText}", error),
        ImapCommandException command => new(Server, command.ServerText, error),
        _ => new(Server, error.Message, error),
    };

    private static bool IsTls(Exception error) =>
        error.InnerException is AuthenticationException || error.Message.Contains("TLS", StringComparison.Ordinal);
}
