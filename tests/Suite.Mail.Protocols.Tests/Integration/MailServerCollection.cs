namespace Suite.Mail.Protocols.Tests.Integration;

/// <summary>One real Postfix + Dovecot (from the shared test kit) for every integration test of the engine.</summary>
[CollectionDefinition(Name)]
public sealed class MailServerCollection : ICollectionFixture<MailServerFixture>
{
    public const string Name = "Real Postfix + Dovecot";
}
