using System.Text;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Protocols.Tests.Imap;

public sealed class ResponseParserTests
{
    internal static ImapResponseReader Reader(string text, int maxLineLength = 4 * 1024 * 1024) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(text))) { MaxLineLength = maxLineLength };

    private static async Task<ImapResponse> ParseOneAsync(string text) => await Reader(text).ReadAsync(null, CancellationToken.None);

    [Fact]
    public async Task Tagged_ok_with_response_code_and_text()
    {
        var response = await ParseOneAsync("A0001 OK [READ-WRITE] SELECT completed\r\n");

        Assert.Equal(ImapResponseKind.Tagged, response.Kind);
        Assert.Equal("A0001", response.Tag);
        Assert.Equal(ImapStatus.Ok, response.Status);
        Assert.Equal("READ-WRITE", response.Code?.Name);
        Assert.Equal("SELECT completed", response.Text);
    }

    [Fact]
    public async Task Response_code_arguments_include_lists_and_flags()
    {
        var response = await ParseOneAsync("* OK [PERMANENTFLAGS (\\Answered \\Deleted \\Seen \\*)] Limited\r\n");

        Assert.Equal("PERMANENTFLAGS", response.Code?.Name);
        Assert.Equal(["\\Answered", "\\Deleted", "\\Seen", "\\*"], ImapDataParser.Strings(response.Code!.Argument(0)));
    }

    [Fact]
    public async Task A_malformed_response_code_is_kept_as_text()
    {
        var response = await ParseOneAsync("* OK [ALERT unterminated code\r\n");

        Assert.Null(response.Code);
        Assert.Equal("[ALERT unterminated code", response.Text);
    }

    [Fact]
    public async Task Untagged_counts_carry_their_number()
    {
        var reader = Reader("* 172 EXISTS\r\n* 1 RECENT\r\n* 44 EXPUNGE\r\n");

        var exists = await reader.ReadAsync(null, CancellationToken.None);
        var recent = await reader.ReadAsync(null, CancellationToken.None);
        var expunge = await reader.ReadAsync(null, CancellationToken.None);

        Assert.Equal(("EXISTS", 172u), (exists.Name, exists.Number!.Value));
        Assert.Equal(("RECENT", 1u), (recent.Name, recent.Number!.Value));
        Assert.Equal(("EXPUNGE", 44u), (expunge.Name, expunge.Number!.Value));
    }

    [Fact]
    public async Task Continuation_keeps_its_text()
    {
        var response = await ParseOneAsync("+ idling\r\n");

        Assert.Equal(ImapResponseKind.Continuation, response.Kind);
        Assert.Equal("idling", response.Text);
    }

    [Fact]
    public async Task Literals_span_lines_and_keep_exact_bytes()
    {
        var response = await ParseOneAsync("* 12 FETCH (UID 7 BODY[HEADER.FIELDS (SUBJECT)] {19}\r\nSubject: a\r\n\r\n)(x\r\n FLAGS (\\Seen))\r\n");

        var attributes = response.Value(0);
        Assert.Equal("FETCH", response.Name);
        Assert.Equal(12u, response.Number);
        Assert.Equal("BODY[HEADER.FIELDS (SUBJECT)]", attributes.Item(2).Text);
        Assert.Equal("Subject: a\r\n\r\n)(x\r\n", attributes.Item(3).Text);
        Assert.Equal(["\\Seen"], ImapDataParser.Strings(attributes.Item(5)));
    }

    [Fact]
    public async Task Literal8_and_non_synchronizing_markers_are_literals()
    {
        var response = await ParseOneAsync("* 1 FETCH (BINARY[1] ~{3}\r\n\0\u0001\u0002 X {2+}\r\nab)\r\n");

        Assert.Equal(new byte[] { 0, 1, 2 }, response.Value(0).Item(1).Bytes);
        Assert.Equal("ab", response.Value(0).Item(3).Text);
    }

    [Fact]
    public async Task Zero_length_literal_is_an_empty_string()
    {
        var response = await ParseOneAsync("* LIST () \"/\" {0}\r\n\r\n");

        Assert.Equal(string.Empty, response.Value(2).Text);
    }

    [Fact]
    public async Task Quoted_strings_unescape_quotes_and_backslashes()
    {
        var response = await ParseOneAsync("* LIST (\\Noselect) \"\\\\\" \"say \\\"hi\\\" \\\\ bye\"\r\n");

        Assert.Equal("\\", response.Value(1).Text);
        Assert.Equal("say \"hi\" \\ bye", response.Value(2).Text);
    }

    [Fact]
    public async Task Nil_is_distinct_from_the_string_NIL()
    {
        var response = await ParseOneAsync("* X NIL \"NIL\" nil\r\n");

        Assert.True(response.Value(0).IsNil);
        Assert.Equal("NIL", response.Value(1).Text);
        Assert.True(response.Value(2).IsNil);
    }

    [Fact]
    public async Task Deeply_nested_lists_parse()
    {
        var response = await ParseOneAsync("* X ((a (b (c NIL))) () (\"d\" {1}\r\ne))\r\n");

        var outer = response.Value(0);
        Assert.Equal("c", outer.Item(0).Item(1).Item(1).Item(0).Text);
        Assert.Empty(outer.Item(1).Items);
        Assert.Equal("e", outer.Item(2).Item(1).Text);
    }

    [Fact]
    public async Task Eight_bit_quoted_strings_decode_as_utf8_or_latin1()
    {
        var bytes = Encoding.UTF8.GetBytes("* X \"Réunion\" \"").Concat(new byte[] { 0xE9 }).Concat("\"\r\n"u8.ToArray()).ToArray();
        var response = await new ImapResponseReader(new MemoryStream(bytes)).ReadAsync(null, CancellationToken.None);

        Assert.Equal("Réunion", response.Value(0).Text);
        Assert.Equal("é", response.Value(1).Text);
    }

    [Theory]
    [InlineData("* X \"unterminated\r\n")]
    [InlineData("* X (a (b)\r\n")]
    [InlineData("* X a)\r\n")]
    [InlineData("A1 WHAT is this\r\n")]
    [InlineData("\r\n")]
    [InlineData("* 99999999999 EXISTS\r\n")]
    [InlineData("* X BODY[unclosed\r\n")]
    [InlineData("* X {99999999999}\r\n")]
    [InlineData("A1 BYE tagged bye\r\n")]
    public async Task Broken_responses_are_protocol_errors(string text)
    {
        await Assert.ThrowsAsync<ImapProtocolException>(() => ParseOneAsync(text));
    }

    [Fact]
    public async Task Lists_nested_beyond_the_limit_are_refused()
    {
        var text = "* X " + new string('(', 200) + new string(')', 200) + "\r\n";

        await Assert.ThrowsAsync<ImapProtocolException>(() => ParseOneAsync(text));
    }

    [Fact]
    public async Task An_overlong_line_is_refused()
    {
        var reader = Reader("* X " + new string('a', 5000) + "\r\n", maxLineLength: 1024);

        await Assert.ThrowsAsync<ImapProtocolException>(async () => await reader.ReadAsync(null, CancellationToken.None));
    }

    [Theory]
    [InlineData("* 1 FETCH (BODY[] {10}\r\nshort")]
    [InlineData("* OK no line end")]
    [InlineData("")]
    public async Task End_of_stream_mid_response_is_a_connection_error(string text)
    {
        await Assert.ThrowsAsync<ImapConnectionException>(() => ParseOneAsync(text));
    }

    [Fact]
    public async Task Bare_line_feeds_are_tolerated()
    {
        var response = await ParseOneAsync("* 3 EXISTS\n");

        Assert.Equal(3u, response.Number);
    }
}
