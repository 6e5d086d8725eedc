using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>RFC 2047 encoded words: the §8 examples verbatim, plus the real-world tolerance the decoder promises.</summary>
public sealed class Rfc2047Tests
{
    // RFC 2047 §8, the table of "encoded form / displayed as" pairs (comment context).
    [Theory]
    [InlineData("(=?ISO-8859-1?Q?a?=)", "(a)")]
    [InlineData("(=?ISO-8859-1?Q?a?= b)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a_b?=)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)")]
    public void Rfc2047Section8Table(string encoded, string expected) => Assert.Equal(expected, Rfc2047.Decode(encoded));

    [Fact]
    public async Task Rfc2047Section8Headers()
    {
        var message = await MimeTestHelpers.ParseAsync("""
            From: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>
            To: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>
            CC: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>
            Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=
                =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=

            body
            """);

        var from = Assert.IsType<MailboxAddress>(Assert.Single(message.From));
        Assert.Equal("Keith Moore", from.Name);
        Assert.Equal("moore@cs.utk.edu", from.Address);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(message.To));
        Assert.Equal("Keld Jørn Simonsen", to.Name);
        Assert.Equal("keld@dkuug.dk", to.Address);
        var cc = Assert.IsType<MailboxAddress>(Assert.Single(message.Cc));
        Assert.Equal("André Pirard", cc.Name);
        Assert.Equal("PIRARD@vm1.ulg.ac.be", cc.Address);
        Assert.Equal("If you can read this you understand the example.", message.Subject);
    }

    [Fact]
    public async Task Rfc2047Section8SecondAndThirdExamples()
    {
        var message = await MimeTestHelpers.ParseAsync("""
            From: =?ISO-8859-1?Q?Olle_J=E4rnefors?= <ojarnef@admin.kth.se>
            To: ietf-822@dimacs.rutgers.edu, ojarnef@admin.kth.se
            Subject: Time for ISO 10646?

            """);
        Assert.Equal("Olle Järnefors", message.From.Mailboxes.Single().Name);
        Assert.Equal(["ietf-822@dimacs.rutgers.edu", "ojarnef@admin.kth.se"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Time for ISO 10646?", message.Subject);

        var second = await MimeTestHelpers.ParseAsync("""
            To: Dave Crocker <dcrocker@mordor.stanford.edu>
            Cc: ietf-822@dimacs.rutgers.edu, paf@comsol.se
            From: =?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?= <paf@nada.kth.se>
            Subject: Re: RFC-HDR care and feeding

            """);
        Assert.Equal("Patrik Fältström", second.From.Mailboxes.Single().Name);
        Assert.Equal("Dave Crocker", second.To.Mailboxes.Single().Name);
        Assert.Equal(2, second.Cc.Count);
    }

    [Fact]
    public async Task Rfc2047Section8HebrewCommentAndFoldedAddressList()
    {
        var message = await MimeTestHelpers.ParseAsync("""
            From: Nathaniel Borenstein <nsb@thumper.bellcore.com>
                  (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)
            To: Greg Vaudreuil <gvaudre@NRI.Reston.VA.US>, Ned Freed
               <ned@innosoft.com>, Keith Moore <moore@cs.utk.edu>
            Subject: Test of new header generator
            MIME-Version: 1.0
            Content-type: text/plain; charset=ISO-8859-1

            """);

        var from = message.From.Mailboxes.Single();
        Assert.Equal("Nathaniel Borenstein", from.Name);
        Assert.Equal("nsb@thumper.bellcore.com", from.Address);
        Assert.Equal("(םולש ןב ילטפנ)", Rfc2047.Decode("(=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)"));
        Assert.Equal(["Greg Vaudreuil", "Ned Freed", "Keith Moore"], message.To.Mailboxes.Select(m => m.Name));
        Assert.Equal("iso-8859-1", message.Body.ContentType.Charset, ignoreCase: true);
    }

    [Fact]
    public void MultiByteCharacterSplitAcrossAdjacentWordsIsRejoined()
    {
        // "é" is C3 A9 in UTF-8; a broken encoder put the two bytes in two words.
        Assert.Equal("café", Rfc2047.Decode("=?utf-8?Q?caf=C3?= =?utf-8?Q?=A9?="));
        Assert.Equal("日本", Rfc2047.Decode("=?UTF-8?B?5pel?= =?UTF-8?B?5pys?="));
    }

    [Theory]
    [InlineData("=?x-unknown?Q?caf=C3=A9?=", "café")] // unknown charset: UTF-8 sniffed
    [InlineData("=?x-unknown?Q?caf=E9?=", "café")] // unknown charset, not UTF-8: latin1
    [InlineData("=?utf-8?q?lower_case?=", "lower case")]
    [InlineData("=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore")] // RFC 2231 §5 language suffix
    [InlineData("=?utf-8?B?Y2Fmw6k?=", "café")] // missing padding
    [InlineData("=?windows-1252?Q?=80_5?=", "€ 5")]
    [InlineData("=?iso-8859-15?Q?=A4?=", "€")]
    [InlineData("=?koi8-r?B?8NLJ18XU?=", "Привет")]
    [InlineData("prefix=?utf-8?Q?x?=suffix", "prefixxsuffix")] // not whitespace-delimited: still decoded
    [InlineData("=?utf-8?Q?a?= plain =?utf-8?Q?b?=", "a plain b")]
    public void LenientDecoding(string encoded, string expected) => Assert.Equal(expected, Rfc2047.Decode(encoded));

    [Theory]
    [InlineData("=?utf-8?X?abc?=")]
    [InlineData("=?utf-8?Q?never closed")]
    [InlineData("=??Q?empty charset?=")]
    [InlineData("a =? b ?= c")]
    [InlineData("=?utf-8?Q?has space?=")]
    public void MalformedWordsAreLeftAsTheyAre(string text) => Assert.Equal(text, Rfc2047.Decode(text));

    [Fact]
    public void HostileInputStaysLinear()
    {
        var hostile = string.Concat(Enumerable.Repeat("=?a?q?x", 50_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(hostile, Rfc2047.Decode(hostile));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
