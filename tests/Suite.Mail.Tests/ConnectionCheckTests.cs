using Suite.Kernel.Settings;
using Suite.Mail.Contracts;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Features.Connection;
using Suite.Testing;

namespace Suite.Mail.Tests;

/// <summary>What a person is told when the mailbox cannot be reached, checked against the real Dovecot.</summary>
[Collection(MailPortalCollection.Name)]
public sealed class ConnectionCheckTests(MailPortal world)
{
    [Fact]
    public async Task Wrong_password_tls_failure_and_unreachable_server_each_get_their_own_reason()
    {
        var user = world.Server.NextUser();
        var pinned = Settings(world.Server.ImapPort, "starttls", world.Server.Certificate.Thumbprint);
        await CheckAsync(pinned, new MailCredentials(user.Address, user.Password));
        Assert.Equal(MailErrors.WrongPassword, await FailureAsync(pinned, new MailCredentials(user.Address, "faux")));
        Assert.Equal(MailErrors.Tls, await FailureAsync(Settings(world.Server.ImapPort, "starttls", null), new MailCredentials(user.Address, user.Password)));
        Assert.Equal(MailErrors.Tls, await FailureAsync(Settings(world.Server.ImapPort, "implicit", world.Server.Certificate.Thumbprint), new MailCredentials(user.Address, user.Password)));
        Assert.Equal(MailErrors.Unreachable, await FailureAsync(Settings(FreePort.Get(), "starttls", null), new MailCredentials(user.Address, user.Password)));
        Assert.Equal(MailErrors.NotConfigured, await FailureAsync(new FixedSettings(new Dictionary<string, string?>()), new MailCredentials(user.Address, user.Password)));
    }

    private static FixedSettings Settings(int port, string tls, string? thumbprint) => new(new Dictionary<string, string?>
    {
        [MailNames.Settings.ImapHost.Name] = "127.0.0.1",
        [MailNames.Settings.ImapPort.Name] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [MailNames.Settings.ImapTls.Name] = tls,
        [MailNames.Settings.TrustedCertificate.Name] = thumbprint,
    });

    private static async Task CheckAsync(ISettingProvider settings, MailCredentials credentials)
    {
        // The check signs in and out without touching the stored account.
        await using var connection = new MailboxConnection(accounts: null!, new MailServers(settings));
        await connection.CheckAsync(credentials);
    }

    private static async Task<string> FailureAsync(ISettingProvider settings, MailCredentials credentials) =>
        (await Assert.ThrowsAsync<MailUnavailableException>(() => CheckAsync(settings, credentials))).Key;

    private sealed class FixedSettings(IReadOnlyDictionary<string, string?> values) : ISettingProvider
    {
        public Task<T> GetAsync<T>(Setting<T> setting, CancellationToken cancellationToken = default) =>
            Task.FromResult(SettingResolution.Convert<T>(values.GetValueOrDefault(setting.Name) ?? setting.Definition.DefaultValue));

        public Task<T> GetAsync<T>(Setting<T> setting, SettingTarget target, CancellationToken cancellationToken = default) => GetAsync(setting, cancellationToken);
    }
}
