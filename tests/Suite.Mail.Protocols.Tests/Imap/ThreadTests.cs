using System.Text;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Protocols.Tests.Imap;

/// <summary>THREAD (RFC 5256): the response reader on tricky input, and the command as sent to a scripted server.</summary>
public sealed class ThreadTests
{
    /// <summary>A thread written back in the RFC's notation, with <c>_</c> for a dummy parent, to compare trees at a glance.</summary>
    private static string Show(IEnumerable<ImapThreadNode> threads) => string.Concat(threads.Select(t => "(" + Show(t) + ")"));

    private static string Show(ImapThreadNode node)
    {
        var text = new StringBuilder(node.Uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "_");
        var current = node;
        while (current.Children.Count == 1)
        {
            current = current.Children[0];
            text.Append(' ').Append(current.Uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "_");
        }

        if (current.Children.Count > 1)
        {
            text.Append(' ').Append(string.Concat(current.Children.Select(c => "(" + Show(c) + ")")));
        }

        return text.ToString();
    }

    [Fact]
    public void The_rfc_example_chains_numbers_and_branches_under_the_last_one()
    {
        var threads = ImapThreadParser.Parse("(2)(3 6 (4 23)(44 7 96))");

        Assert.Equal(2, threads.Count);
        Assert.Equal(2u, threads[0].Uid);
        Assert.Empty(threads[0].Children);
        var six = Assert.Single(threads[1].Children);
        Assert.Equal(6u, six.Uid);
        Assert.Equal([4u, 44u], six.Children.Select(c => c.Uid!.Value));
        Assert.Equal(23u, Assert.Single(six.Children[0].Children).Uid);
        Assert.Equal([3u, 6u, 4u, 23u, 44u, 7u, 96u], threads[1].Uids());
        Assert.Equal([(3u, 0), (6u, 1), (4u, 2), (23u, 3), (44u, 2), (7u, 3), (96u, 4)], threads[1].Flatten());
    }

    [Fact]
    public void The_long_rfc_references_example_keeps_every_thread_and_message()
    {
        const string data = "(166)(167)(168)(169)(172)(170)(171)(173)(174 (175)(176)(178)(181)(180))(179)(177 (183)(182)(188)(184)(185)(186)(187)(189))" +
            "(190)(191)(192)(193)(194 195)(196 (197)(198))(199)(200 202)(201)(203)(204)(205)(206 207)(208)";

        var threads = ImapThreadParser.Parse(data);

        Assert.Equal(data, Show(threads));
        Assert.Equal(25, threads.Count);
        Assert.Equal(43, threads.Sum(t => t.Uids().Count()));
        Assert.Equal([175u, 176u, 178u, 181u, 180u], threads[8].Children.Select(c => c.Uid!.Value));
    }

    [Fact]
    public void Siblings_without_their_parent_hang_under_a_dummy_that_adds_no_depth()
    {
        var threads = ImapThreadParser.Parse("((3)(5 8))(9)");

        Assert.Equal("(_ (3)(5 8))(9)", Show(threads));
        var dummy = threads[0];
        Assert.Null(dummy.Uid);
        Assert.Equal([3u, 5u, 8u], dummy.Uids());
        Assert.Equal([(3u, 0), (5u, 0), (8u, 1)], dummy.Flatten());
        Assert.Equal(9u, threads[1].Uid);
    }

    [Fact]
    public void A_thread_branching_ten_thousand_times_deep_is_read_without_recursion()
    {
        const int depth = 10_000;
        var data = new StringBuilder("(");
        for (var i = 1; i <= depth; i++)
        {
            // Each message has a short reply and a long branch that goes on: (1 (100001)(2 (100002)(3 ...
            data.Append(i).Append(" (").Append(100_000 + i).Append(")(");
        }

        data.Append("99999").Append(new string(')', depth + 1));

        var thread = Assert.Single(ImapThreadParser.Parse(data.ToString()));
        var flat = thread.Flatten().ToList();

        Assert.Equal((2 * depth) + 1, flat.Count);
        Assert.Equal((99999u, depth), flat[^1]);
        Assert.Equal(flat.Count, thread.Uids().Distinct().Count());
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("()", "")]
    [InlineData("(())", "")]
    [InlineData("((()))", "")]
    [InlineData("(", "")]
    [InlineData(")))(4)", "(4)")]
    [InlineData("(1 2", "(1 2)")]
    [InlineData("(1 (2)(3", "(1 (2)(3))")]
    [InlineData("(0 5)", "(5)")]
    [InlineData("(99999999999 5)", "(5)")]
    [InlineData("(1 2)(2 3)", "(1 2)(3)")]
    [InlineData("(1 NIL x 2)", "(1 2)")]
    [InlineData("7 8", "(7)(8)")]
    [InlineData("(1 \"2\" {3}\r\n)", "(1 2 3)")]
    public void Malformed_input_never_throws_and_keeps_what_can_be_read(string data, string expected)
    {
        Assert.Equal(expected, Show(ImapThreadParser.Parse(data)));
    }

    [Fact]
    public void Random_parentheses_digits_and_noise_never_throw_nor_repeat_a_message()
    {
        var random = new Random(5256);
        const string alphabet = "(((())))  0123456789NIL\"{}\r\n\u00e9";
        for (var round = 0; round < 2000; round++)
        {
            var data = new string([.. Enumerable.Range(0, random.Next(0, 300)).Select(_ => alphabet[random.Next(alphabet.Length)])]);

            var threads = ImapThreadParser.Parse(data);

            var uids = threads.SelectMany(t => t.Uids()).ToList();
            Assert.Equal(uids.Count, uids.Distinct().Count());
            Assert.All(uids, uid => Assert.NotEqual(0u, uid));
            Assert.All(threads, t => Assert.NotEmpty(t.Uids()));
            Assert.Equal(uids.Count, threads.Sum(t => t.Flatten().Count()));
        }
    }

    [Fact]
    public void Null_input_is_no_thread()
    {
        Assert.Empty(ImapThreadParser.Parse(null));
    }

    [Fact]
    public async Task Uid_thread_sends_references_with_the_search_and_reads_a_response_deeper_than_generic_lists_allow()
    {
        var nested = string.Concat(Enumerable.Range(1, 200).Select(i => $"({i} ")) + "999" + new string(')', 200);
        var (client, server) = await ScriptedImapServer.StartAsync(
            (_, command) => command.StartsWith("UID THREAD", StringComparison.Ordinal) ? $"* THREAD (1000)(1001 1002){nested}\r\n{{tag}} OK Thread completed\r\n" : "{tag} OK done\r\n",
            capabilities: "IMAP4rev1 LITERAL+ THREAD=REFERENCES THREAD=ORDEREDSUBJECT");
        await using var _ = server;

        var threads = await client.UidThreadAsync(ImapSearchQuery.Or(ImapSearchQuery.Subject("budget"), ImapSearchQuery.Unseen));

        Assert.Equal("UID THREAD REFERENCES UTF-8 OR SUBJECT \"budget\" UNSEEN", server.Commands.Last());
        Assert.Equal(3, threads.Count);
        Assert.Equal([1001u, 1002u], threads[1].Uids());
        Assert.Equal(201, threads[2].Uids().Count());
        Assert.True(client.IsConnected);
        await client.NoopAsync();
    }

    [Fact]
    public async Task An_empty_thread_response_is_no_thread()
    {
        var (client, server) = await ScriptedImapServer.StartAsync(
            (_, command) => command.StartsWith("UID THREAD", StringComparison.Ordinal) ? "* THREAD\r\n{tag} OK Thread completed\r\n" : "{tag} OK done\r\n",
            capabilities: "IMAP4rev1 THREAD=REFERENCES");
        await using var _ = server;

        Assert.Empty(await client.UidThreadAsync(ImapSearchQuery.All));
    }

    [Fact]
    public async Task Without_thread_references_the_client_says_so_before_sending_anything()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK done\r\n", capabilities: "IMAP4rev1 THREAD=ORDEREDSUBJECT");
        await using var _ = server;
        var sent = server.Commands.Count;

        Assert.False(client.CanThread());
        Assert.True(client.CanThread("ORDEREDSUBJECT"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.UidThreadAsync(ImapSearchQuery.All));
        Assert.Equal(sent, server.Commands.Count);
    }
}
