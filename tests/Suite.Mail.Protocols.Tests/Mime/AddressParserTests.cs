using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>RFC 5322 §3.4 address lists, including obsolete forms and common real-world mistakes.</summary>
public sealed class AddressParserTests
{
    private static (string? Name, string Address)[] Flat(string value) =>
        [.. AddressList.Parse(value).Mailboxes.Select(m => (m.Name, m.Address))];

    [Fact]
    public void SimpleForms() =>
        Assert.Equal(
            [(null, "a@example.org"), ("Bob Smith", "bob@example.org"), (null, "c@example.org")],
            Flat("a@example.org, Bob Smith <bob@example.org>,<c@example.org>"));

    [Fact]
    public void QuotedDisplayNamesWithSpecials() =>
        Assert.Equal(
            [("Smith, John (Ministry)", "john@example.org"), ("say \"hi\"", "x@example.org")],
            Flat("\"Smith, John (Ministry)\" <john@example.org>, \"say \\\"hi\\\"\" <x@example.org>"));

    [Fact]
    public void GroupsIncludingEmptyOnes()
    {
        var list = AddressList.Parse("Team: ann@example.org, Bob <bob@example.org>;, undisclosed-recipients:;, last@example.org");
        Assert.Equal(3, list.Count);
        var team = Assert.IsType<GroupAddress>(list[0]);
        Assert.Equal("Team", team.Name);
        Assert.Equal(["ann@example.org", "bob@example.org"], team.Members.Select(m => m.Address));
        var empty = Assert.IsType<GroupAddress>(list[1]);
        Assert.Equal("undisclosed-recipients", empty.Name);
        Assert.Empty(empty.Members);
        Assert.Equal("last@example.org", Assert.IsType<MailboxAddress>(list[2]).Address);
        Assert.Equal(3, list.Mailboxes.Count());
    }

    [Fact]
    public void CommentsAreIgnoredOrNameTheObsoleteForm() =>
        Assert.Equal(
            [("Pete", "pete@silly.example"), ("Mary Smith", "mary@x.test"), ("Joe Q. Public", "john.q.public@example.com")],
            Flat("pete(his account)@silly.example (Pete), Mary Smith (Ministry) <mary@x.test>, \"Joe Q. Public\" <john.q.public@example.com>"));

    [Fact]
    public void ObsoleteRouteAndSpacesAroundDots() =>
        Assert.Equal(
            [("Route", "user@host.example"), (null, "first.last@example.org")],
            Flat("Route <@relay1.example,@relay2.example:user@host.example>, first . last @ example . org"));

    [Fact]
    public void UnquotedDotsAndCommaInDisplayName() =>
        Assert.Equal(
            [("John Q. Public", "jqp@example.com"), ("Dupont, Marie", "marie.dupont@interieur.gouv.fr")],
            Flat("John Q. Public <jqp@example.com>, Dupont, Marie <marie.dupont@interieur.gouv.fr>"));

    [Fact]
    public void EncodedAndUnicodeNames() =>
        Assert.Equal(
            [("Élodie Ünal", "elodie@example.fr"), ("Jérôme", "jerome@example.fr"), ("张伟", "zhang@example.cn")],
            Flat("=?UTF-8?Q?=C3=89lodie?= =?UTF-8?Q?_=C3=9Cnal?= <elodie@example.fr>, \"=?iso-8859-1?Q?J=E9r=F4me?=\" <jerome@example.fr>, 张伟 <zhang@example.cn>"));

    [Fact]
    public void BrokenInputIsReadAsWellAsPossible()
    {
        Assert.Equal([("Missing", "bracket@example.org")], Flat("Missing <bracket@example.org"));
        Assert.Equal([(null, "a@example.org"), (null, "b@example.org")], Flat(",, a@example.org ,, b@example.org ,"));
        Assert.Equal([("John Smith", string.Empty)], Flat("John Smith"));
        Assert.Equal([(null, "postmaster")], Flat("postmaster"));
        Assert.Equal([(null, "x@[192.168.0.1]")], Flat("x@[192.168.0.1]"));
        Assert.Equal([(null, "\"odd local\"@example.org")], Flat("\"odd local\"@example.org"));
        Assert.Empty(AddressList.Parse("   "));
        Assert.DoesNotContain(AddressList.Parse("<>").Mailboxes, m => m.Address.Length > 0);
    }

    [Fact]
    public void MailboxParts()
    {
        var m = new MailboxAddress("A", "user.name@sub.example.org");
        Assert.Equal("user.name", m.LocalPart);
        Assert.Equal("sub.example.org", m.Domain);
        Assert.Equal("A <user.name@sub.example.org>", m.ToString());
        Assert.Equal(m, new MailboxAddress(null, "USER.NAME@sub.example.org"));
    }
}
