namespace Suite.Mail;

/// <summary>Marker for the module's texts (Resources/MailText.resx in French, .en.resx in English).</summary>
public sealed class MailText;
