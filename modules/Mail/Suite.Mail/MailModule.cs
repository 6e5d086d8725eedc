using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Suite.Kernel.Modules;
using Suite.Mail.Contracts;
using Suite.Mail.Data;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Features.Compose;
using Suite.Mail.Features.Connection;
using Suite.Mail.Features.Folders;
using Suite.Mail.Features.Messages;
using Suite.Mail.Features.Reading;

namespace Suite.Mail;

/// <summary>Webmail on the ministry's own IMAP/SMTP servers: folders, messages, reading (sanitized HTML in a
/// sandboxed frame), compose with attachments, flags, move, delete; and <see cref="IMailSender"/> for other modules.
/// IMAP connections are pooled per mailbox; the INBOX of each present person is watched with IDLE so the header's
/// bell announces new mail on any page (ADR 0014).</summary>
public sealed class MailModule : ISuiteModule
{
    public ModuleManifest Manifest { get; } = new(MailNames.ModuleId, "Mail.Title", []);

    public void Build(ModuleBuilder m)
    {
        m.UseDbContext<MailDbContext>();
        m.AddPages(typeof(MailModule).Assembly);
        m.UseResources<MailText>();
        m.Navigation.Item("Mail.Title", "/mail", "mail", descriptionKey: "Mail.Description");
        m.Settings.Add(MailNames.Settings.ImapHost).Add(MailNames.Settings.ImapPort).Add(MailNames.Settings.ImapTls)
            .Add(MailNames.Settings.SmtpHost).Add(MailNames.Settings.SmtpPort).Add(MailNames.Settings.SmtpTls)
            .Add(MailNames.Settings.TrustedCertificate)
            .Add(MailNames.Settings.AuthMode).Add(MailNames.Settings.MasterUser).Add(MailNames.Settings.MasterPassword);
        m.MapEndpoints(MailEndpoints.Map);

        var services = m.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MailConnectionPool>();
        services.AddSingleton<Features.Live.InboxWatchers>();
        services.AddSingleton<Features.Live.InboxWatchOnPresence>();
        services.AddSingleton<Suite.Kernel.Presence.IPresenceListener>(sp => sp.GetRequiredService<Features.Live.InboxWatchOnPresence>());
        services.AddScoped<MailAccounts>();
        services.AddScoped<MailServers>();
        services.AddScoped<MailboxConnection>();
        services.AddScoped<Mailboxes>();
        services.AddScoped<MessageList>();
        services.AddScoped<MessageActions>();
        services.AddScoped<MessageReader>();
        services.AddScoped<PartDownload>();
        services.AddScoped<Composer>();
        services.AddScoped<IMailSender, MailSender>();
    }
}
