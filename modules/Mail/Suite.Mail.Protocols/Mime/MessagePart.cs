namespace Suite.Mail.Protocols.Mime;

/// <summary>An embedded message (message/rfc822 or message/global), e.g. a message forwarded as an attachment.</summary>
public sealed class MessagePart : MimeEntity
{
    internal MessagePart(EntityInit init, MimeMessage message)
        : base(init) => Message = message;

    public MimeMessage Message { get; }

    /// <summary>A file name for saving the embedded message: the declared one, else its subject + ".eml".</summary>
    public string FileName =>
        ContentDisposition?.FileName ?? ContentType.Name ?? (string.IsNullOrWhiteSpace(Message.Subject) ? "message.eml" : Message.Subject + ".eml");
}
