namespace Suite.Mail.Tests;

/// <summary>One mail server and one portal for every test class of the module (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class MailPortalCollection : ICollectionFixture<MailPortal>
{
    public const string Name = "Portal with mail on a real Postfix + Dovecot";
}
