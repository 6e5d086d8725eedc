using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Imap;

public sealed class DataParserTests
{
    private static async Task<ImapMessageSummary> FetchAsync(string line)
    {
        var response = await ResponseParserTests.Reader(line).ReadAsync(null, CancellationToken.None);
        return ImapDataParser.ParseFetch(response.Number!.Value, response.Value(0));
    }

    [Fact]
    public async Task Envelope_decodes_encoded_words_groups_and_nil_fields()
    {
        var summary = await FetchAsync(
            "* 4 FETCH (UID 40 ENVELOPE (\"Tue, 3 Dec 2024 10:00:00 +0100\" \"=?utf-8?Q?R=C3=A9union?=\" " +
            "((\"=?iso-8859-1?Q?Zo=E9?=\" NIL \"zoe\" \"example.org\")) NIL NIL " +
            "((NIL NIL \"team\" NIL)(\"Marie\" NIL \"marie\" \"example.org\")(NIL NIL NIL NIL)(NIL NIL \"bob\" \"example.org\")) " +
            "NIL NIL \"<parent@x>\" \"<id@x>\") FLAGS (\\Seen $Label1) INTERNALDATE \" 3-Dec-2024 10:00:05 +0100\" RFC822.SIZE 2048 MODSEQ (77))\r\n");

        var envelope = summary.Envelope!;
        Assert.Equal(40u, summary.Uid);
        Assert.Equal("Réunion", envelope.Subject);
        Assert.Equal(new DateTimeOffset(2024, 12, 3, 10, 0, 0, TimeSpan.FromHours(1)), envelope.Date);
        Assert.Equal("Zoé", envelope.From.Mailboxes.Single().Name);
        Assert.Equal("zoe@example.org", envelope.From.Mailboxes.Single().Address);
        Assert.Empty(envelope.Sender);
        var group = Assert.IsType<GroupAddress>(envelope.To[0]);
        Assert.Equal("team", group.Name);
        Assert.Equal("marie@example.org", Assert.Single(group.Members).Address);
        Assert.Equal("bob@example.org", Assert.IsType<MailboxAddress>(envelope.To[1]).Address);
        Assert.Equal("<parent@x>", envelope.InReplyTo);
        Assert.Equal("<id@x>", envelope.MessageId);
        Assert.True(summary.HasFlag(ImapFlags.Seen));
        Assert.Equal(new DateTimeOffset(2024, 12, 3, 10, 0, 5, TimeSpan.FromHours(1)), summary.InternalDate);
        Assert.Equal(2048, summary.Size);
        Assert.Equal(77ul, summary.ModSeq);
    }

    [Fact]
    public async Task Bodystructure_numbers_sections_like_the_server()
    {
        var summary = await FetchAsync(
            "* 1 FETCH (UID 9 BODYSTRUCTURE (" +
            "((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"quoted-printable\" 120 4 NIL NIL NIL NIL)" +
            "(\"text\" \"html\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 300 10 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"b2\") NIL NIL NIL)" +
            "(\"application\" \"pdf\" (\"name\" \"r.pdf\") NIL NIL \"base64\" 4000 NIL (\"attachment\" (\"filename\" \"=?utf-8?Q?rapport_=C3=A9t=C3=A9.pdf?=\")) NIL NIL)" +
            "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 500 (NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL) " +
            "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)(\"image\" \"png\" NIL \"<img@x>\" NIL \"base64\" 100 NIL (\"inline\" NIL) NIL NIL) \"related\" NIL NIL NIL NIL) 20 NIL NIL NIL NIL)" +
            " \"mixed\" (\"boundary\" \"b1\") NIL NIL NIL))\r\n");

        var body = summary.Body!;
        Assert.True(body.IsMultipart);
        Assert.Equal("mixed", body.MediaSubtype);
        Assert.Equal("", body.Section);
        var alternative = body.Parts[0];
        Assert.Equal("1", alternative.Section);
        Assert.Equal(["1.1", "1.2"], alternative.Parts.Select(p => p.Section));
        Assert.Equal("utf-8", alternative.Parts[0].Charset);
        Assert.Equal(4, alternative.Parts[0].Lines);
        var pdf = body.Parts[1];
        Assert.Equal("2", pdf.Section);
        Assert.Equal("rapport été.pdf", pdf.FileName);
        Assert.True(pdf.IsAttachment);
        Assert.Equal("BASE64", pdf.Encoding);
        Assert.Equal(4000, pdf.Size);
        var forwarded = body.Parts[2];
        Assert.Equal("3", forwarded.Section);
        Assert.Equal("inner", forwarded.MessageEnvelope?.Subject);
        Assert.Equal(["3.1", "3.2"], forwarded.MessageBody!.Parts.Select(p => p.Section));
        Assert.Equal("<img@x>", forwarded.MessageBody.Parts[1].ContentId);
        Assert.False(forwarded.MessageBody.Parts[1].IsAttachment);
        Assert.Equal(["1.1", "1.2", "2", "3"], body.Leaves().Select(p => p.Section));
    }

    [Fact]
    public async Task Single_part_message_body_is_section_1()
    {
        var summary = await FetchAsync("* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 3 1))\r\n");

        Assert.Equal("1", summary.Body!.Section);
        Assert.Equal("text/plain", summary.Body.ContentType);
        Assert.Equal("us-ascii", summary.Body.Charset);
    }

    [Fact]
    public async Task Garbage_in_typed_fields_yields_nulls_not_errors()
    {
        var summary = await FetchAsync("* 1 FETCH (UID abc ENVELOPE NIL BODYSTRUCTURE (NIL) RFC822.SIZE -3 INTERNALDATE \"yesterday\" FLAGS NIL ODD)\r\n");

        Assert.Null(summary.Uid);
        Assert.Null(summary.Size);
        Assert.Null(summary.InternalDate);
        Assert.Empty(summary.Flags!);
    }

    [Fact]
    public async Task List_response_maps_special_use_and_decodes_names()
    {
        var response = await ResponseParserTests.Reader("* LIST (\\HasNoChildren \\Sent) \".\" \"Envoy&AOk-s\"\r\n").ReadAsync(null, CancellationToken.None);

        var folder = ImapDataParser.ParseList(response)!;
        Assert.Equal("Envoyés", folder.Name);
        Assert.Equal("Envoy&AOk-s", folder.EncodedName);
        Assert.Equal('.', folder.Delimiter);
        Assert.Equal(ImapSpecialUse.Sent, folder.SpecialUse);
        Assert.True(folder.CanSelect);
    }

    [Fact]
    public async Task Esearch_expands_compact_sets()
    {
        var response = await ResponseParserTests.Reader("* ESEARCH (TAG \"A3\") UID COUNT 5 ALL 3:5,9,11:12 MODSEQ 100\r\n").ReadAsync(null, CancellationToken.None);

        var result = ImapDataParser.ParseESearch(response);
        Assert.Equal([3u, 4, 5, 9, 11, 12], result.Uids);
        Assert.Equal(5u, result.Count);
        Assert.Equal(100ul, result.HighestModSeq);
    }

    [Fact]
    public async Task Namespace_lists_personal_other_and_shared()
    {
        var response = await ResponseParserTests.Reader("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) NIL\r\n").ReadAsync(null, CancellationToken.None);

        var namespaces = ImapDataParser.ParseNamespace(response);
        Assert.Equal(new ImapNamespace("", '/'), Assert.Single(namespaces.Personal));
        Assert.Equal("~", Assert.Single(namespaces.OtherUsers).Prefix);
        Assert.Empty(namespaces.Shared);
    }

    [Theory]
    [InlineData(new uint[] { 1, 2, 3, 5, 7, 8 }, "1:3,5,7:8")]
    [InlineData(new uint[] { 9, 1, 9 }, "1,9")]
    [InlineData(new uint[] { 4294967295 }, "4294967295")]
    public void Sequence_sets_are_compact(uint[] numbers, string expected)
    {
        Assert.Equal(expected, ImapSequenceSet.Format(numbers));
        Assert.Equal(numbers.Distinct().Order(), ImapSequenceSet.Parse(expected));
    }

    [Theory]
    [InlineData("1:x")]
    [InlineData("0")]
    [InlineData("1:4294967295")]
    [InlineData(",")]
    public void Bad_sequence_sets_are_protocol_errors(string text)
    {
        Assert.Throws<ImapProtocolException>(() => ImapSequenceSet.Parse(text));
    }
}
