using Suite.Meetings.Media.Sdp;

namespace Suite.Meetings.Media.Tests.Sdp;

public sealed class SdpParserTests
{
    [Fact]
    public void Chromium_simulcast_offer_parses_without_errors_into_bundle_ice_dtls_and_media()
    {
        SessionDescription offer = SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast);

        Assert.Empty(offer.Errors);
        Assert.Equal(0, offer.Version);
        Assert.Equal(["0", "1"], offer.BundleMids);
        Assert.True(offer.ExtmapAllowMixed);
        Assert.Equal(2, offer.Media.Count);
        foreach (MediaDescription media in offer.Media)
        {
            Assert.True(media.RtcpMux);
            Assert.True(media.RtcpReducedSize);
            Assert.Equal(SdpDirection.SendOnly, media.Direction);
            Assert.Equal(SdpSetupRole.ActPass, media.EffectiveSetup);
            Assert.Equal("sha-256", media.EffectiveFingerprint!.Algorithm);
            Assert.Equal(offer.Media[0].EffectiveIceUfrag, media.EffectiveIceUfrag);
            Assert.False(string.IsNullOrEmpty(media.EffectiveIcePwd));
            Assert.Equal("UDP/TLS/RTP/SAVPF", media.Protocol);
            Assert.NotNull(media.MsidStream);
            Assert.NotNull(media.MsidTrack);
        }
    }

    [Fact]
    public void Chromium_audio_section_has_opus_with_fec_and_the_audio_level_extension()
    {
        MediaDescription audio = SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast).Media[0];

        Assert.Equal("audio", audio.Kind);
        Assert.Equal("0", audio.Mid);
        SdpCodec opus = audio.FindCodec(111)!;
        Assert.True(opus.IsNamed("OPUS"));
        Assert.Equal((48000, 2), (opus.ClockRate, opus.Channels));
        Assert.Equal("1", opus.Parameter("useinbandfec"));
        Assert.Equal(["transport-cc"], opus.Feedback);
        Assert.Equal(1, audio.FindExtension(RtpExtensionUris.AudioLevel)!.Id);
        Assert.Equal(4, audio.FindExtension(RtpExtensionUris.Mid)!.Id);
        Assert.Equal(4, audio.Candidates.Count);
        SdpCandidate host = audio.Candidates[0];
        Assert.True(host.IsUdp);
        Assert.Equal("host", host.Type);
        Assert.Equal(1, host.Component);
        Assert.NotNull(host.IpAddress);
        Assert.Single(audio.Ssrcs);
        Assert.NotNull(audio.Ssrcs[0].Cname);
    }

    [Fact]
    public void Chromium_video_section_has_vp8_vp9_h264_with_rtx_and_three_simulcast_rids()
    {
        MediaDescription video = SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast).Media[1];

        Assert.Equal("video", video.Kind);
        Assert.Equal(23, video.Codecs.Count);
        SdpCodec vp8 = video.FindCodec(96)!;
        Assert.True(vp8.IsNamed("vp8"));
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], vp8.Feedback);
        Assert.Equal(97, video.FindRtxFor(96)!.PayloadType);
        Assert.Equal("2", video.FindCodec(100)!.Parameter("profile-id"));
        Assert.Equal("42e01f", video.FindCodec(108)!.Parameter("profile-level-id"));
        Assert.Equal("1", video.FindCodec(108)!.Parameter("packetization-mode"));

        Assert.Equal(["q", "h", "f"], video.Rids.Select(rid => rid.Id));
        Assert.All(video.Rids, rid => Assert.Equal(SdpDirection.SendOnly, rid.Direction));
        Assert.Equal(["q", "h", "f"], video.SendRids());
        Assert.Empty(video.Simulcast!.Receive);
        Assert.Equal(10, video.FindExtension(RtpExtensionUris.Rid)!.Id);
        Assert.Equal(11, video.FindExtension(RtpExtensionUris.RepairedRid)!.Id);
        Assert.Equal(3, video.FindExtension(RtpExtensionUris.TransportWideCc)!.Id);
        Assert.Empty(video.Ssrcs);
    }

    [Fact]
    public void Chromium_offer_without_simulcast_pairs_media_and_rtx_ssrcs_in_a_fid_group()
    {
        MediaDescription video = SdpFixtures.Parse(SdpFixtures.ChromiumPlain).Media[1];

        Assert.Equal(SdpDirection.SendRecv, video.Direction);
        SdpSsrcGroup fid = Assert.Single(video.SsrcGroups);
        Assert.Equal("FID", fid.Semantics);
        Assert.Equal(2, fid.Ssrcs.Count);
        Assert.Equal(fid.Ssrcs, video.Ssrcs.Select(ssrc => ssrc.Ssrc));
        Assert.All(video.Ssrcs, ssrc => Assert.Equal(video.Ssrcs[0].Cname, ssrc.Cname));
        Assert.Equal($"{video.MsidStream} {video.MsidTrack}", video.Ssrcs[0].Attributes["msid"]);
        Assert.Null(video.Simulcast);
        Assert.Empty(video.SendRids());
    }

    [Fact]
    public void Firefox_layout_with_fmtp_before_rtpmap_and_a_session_fingerprint_parses()
    {
        SessionDescription offer = SdpFixtures.Parse(SdpFixtures.FirefoxStyleSimulcast);

        Assert.Empty(offer.Errors);
        MediaDescription video = offer.Media[1];
        Assert.NotNull(offer.Transport.Fingerprint);
        Assert.Null(video.Transport.Fingerprint);
        Assert.Equal(offer.Transport.Fingerprint, video.EffectiveFingerprint);
        Assert.Equal("apt=120", video.FindCodec(124)!.Fmtp);
        Assert.Equal(120, video.FindCodec(124)!.AssociatedPayloadType);
        Assert.Equal("12288", video.FindCodec(120)!.Parameter("max-fs"));
        Assert.Contains("nack pli", video.FindCodec(126)!.Feedback);
        Assert.Equal(SdpDirection.RecvOnly, offer.Media[0].HeaderExtensions.Single(e => e.Id == 2).Direction);
        Assert.Equal(3, video.SsrcGroups.Count);
        Assert.Equal(["q", "h", "f"], video.SendRids());
        Assert.Equal(2, offer.Media[0].FindCodec(109)!.Channels);
    }

    [Fact]
    public void Wildcard_rtcp_feedback_applies_to_every_codec_but_rtx()
    {
        SessionDescription offer = SdpParser.Parse(
            "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97 98\r\na=rtcp-fb:* nack\r\na=rtpmap:96 VP8/90000\r\n" +
            "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\na=rtpmap:98 VP9/90000\r\n");

        Assert.Empty(offer.Errors);
        MediaDescription video = offer.Media[0];
        Assert.Equal(["nack"], video.FindCodec(96)!.Feedback);
        Assert.Equal(["nack"], video.FindCodec(98)!.Feedback);
        Assert.Empty(video.FindCodec(97)!.Feedback);
    }

    [Fact]
    public void Lines_ending_in_lf_only_and_blank_lines_are_accepted()
    {
        SessionDescription offer = SdpParser.Parse(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast).Replace("\r\n", "\n\n"));

        Assert.Empty(offer.Errors);
        Assert.Equal(2, offer.Media.Count);
    }

    public static TheoryData<string, string> MalformedLines => new()
    {
        { "a=rtpmap:96", "bad rtpmap" },
        { "a=rtpmap:96 VP8", "bad rtpmap encoding" },
        { "a=rtpmap:96 VP8/ninety", "bad rtpmap encoding" },
        { "a=rtpmap:999 VP8/90000", "payload type is not 0–127" },
        { "a=rtpmap:35 VP8/90000", "not in the m= line" },
        { "a=rtpmap:96 VP9/90000", "mapped twice" },
        { "a=fmtp:96", "bad fmtp" },
        { "a=fmtp:100 apt=96", "not in the m= line" },
        { "a=rtcp-fb:96", "bad rtcp-fb" },
        { "a=extmap:15 urn:x", "extmap id" },
        { "a=extmap:0 urn:x", "extmap id" },
        { "a=extmap:99999999999999999999 urn:x", "extmap id" },
        { "a=extmap:3/sideways urn:x", "extmap direction" },
        { "a=extmap:4 urn:other", "used twice" },
        { "a=extmap:5", "bad extmap" },
        { "a=ssrc:4294967296 cname:x", "32-bit" },
        { "a=ssrc:-1 cname:x", "32-bit" },
        { "a=ssrc-group:FID 1 x", "ssrc-group member" },
        { "a=ssrc-group:", "bad ssrc-group" },
        { "a=rid:q sideways", "neither send nor recv" },
        { "a=rid:q/x send", "bad rid" },
        { "a=rid:" + new string('r', 40) + " send", "bad rid" },
        { "a=simulcast:send", "bad simulcast" },
        { "a=simulcast:send q;;f", "bad simulcast" },
        { "a=simulcast:sideways q", "bad simulcast" },
        { "a=fingerprint:sha-256 ZZ:00", "unusable fingerprint" },
        { "a=fingerprint:", "unusable fingerprint" },
        { "a=setup:maybe", "unknown setup role" },
        { "a=candidate:1 1 udp", "bad candidate" },
        { "a=candidate:1 1 udp 2122194687 192.0.2.2 99999 typ host", "bad candidate" },
        { "a=ice-ufrag:", "without a value" },
        { "a=mid:", "without a value" },
        { "this is not sdp", "not a <type>=<value> line" },
        { "A=uppercase", "not a <type>=<value> line" },
        { "=", "not a <type>=<value> line" },
        { "o=- 1 2", "o= needs 6 fields" },
        { "o=- 1 two IN IP4 0.0.0.0", "not a number" },
        { "v=1", "unsupported version" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void A_malformed_line_is_reported_with_its_number_and_the_rest_still_parses(string badLine, string expectedMessage)
    {
        string text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\na=mid:0\r\na=rtpmap:96 VP8/90000\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
            badLine + "\r\n" +
            "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\na=rtcp-mux\r\n";

        SessionDescription parsed = SdpParser.Parse(text);

        SdpParseError error = Assert.Single(parsed.Errors);
        Assert.Contains(expectedMessage, error.Message);
        Assert.Equal(10, error.LineNumber);
        MediaDescription video = parsed.Media[0];
        Assert.Equal("0", video.Mid);
        Assert.Equal(96, video.FindRtxFor(96)?.AssociatedPayloadType);
        Assert.True(video.RtcpMux);
    }

    [Theory]
    [InlineData("m=video", "m= needs", 0, 0)]
    [InlineData("m=video 70000 UDP/TLS/RTP/SAVPF 96", "m= port", 0, 1)]
    [InlineData("m=video 9 UDP/TLS/RTP/SAVPF 96 x 300", "RTP payload type", 9, 1)]
    public void A_malformed_m_line_still_opens_a_section_so_its_attributes_stay_out_of_the_session(
        string badLine, string expectedMessage, int port, int formats)
    {
        SessionDescription parsed = SdpParser.Parse($"v=0\r\na=ice-ufrag:session\r\n{badLine}\r\na=ice-ufrag:media\r\na=mid:1\r\n");

        Assert.All(parsed.Errors, error => Assert.Contains(expectedMessage, error.Message));
        Assert.NotEmpty(parsed.Errors);
        Assert.Equal("session", parsed.Transport.IceUfrag);
        MediaDescription media = Assert.Single(parsed.Media);
        Assert.Equal(port, media.Port);
        Assert.Equal(formats, media.Formats.Count);
        Assert.Equal("1", media.Mid);
    }

    [Fact]
    public void Truncated_offers_never_throw_and_keep_what_came_before_the_cut()
    {
        string text = SdpFixtures.Load(SdpFixtures.ChromiumSimulcast);
        for (int cut = 0; cut < text.Length; cut += 7)
        {
            SessionDescription parsed = SdpParser.Parse(text[..cut]);
            Assert.True(parsed.Media.Count <= 2);
        }

        SessionDescription half = SdpParser.Parse(text[..(text.Length / 2)]);
        Assert.Equal("0", half.Media[0].Mid);
    }

    [Fact]
    public void Description_larger_than_the_limit_is_refused_without_reading_it()
    {
        string huge = "v=0\r\n" + string.Concat(Enumerable.Repeat("a=x-padding:" + new string('x', 1000) + "\r\n", 600));

        SessionDescription parsed = SdpParser.Parse(huge);

        Assert.Contains("exceeds the limit", Assert.Single(parsed.Errors).Message);
        Assert.Null(parsed.Version);
    }

    [Fact]
    public void Very_long_line_is_skipped_with_an_error()
    {
        SessionDescription parsed = SdpParser.Parse("v=0\r\na=ice-ufrag:" + new string('u', 10_000) + "\r\na=ice-pwd:p\r\n");

        Assert.Contains("exceeds the limit", Assert.Single(parsed.Errors).Message);
        Assert.Null(parsed.Transport.IceUfrag);
        Assert.Equal("p", parsed.Transport.IcePwd);
    }

    [Fact]
    public void Sections_beyond_the_limit_are_dropped_and_errors_beyond_the_limit_only_counted()
    {
        var limits = new SdpParserLimits { MaxMediaSections = 3, MaxErrors = 5 };
        string text = "v=0\r\n" + string.Concat(Enumerable.Repeat("nonsense\r\n", 20))
            + string.Concat(Enumerable.Range(0, 10).Select(i => $"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:{i}\r\n"));

        SessionDescription parsed = SdpParser.Parse(text, limits);

        Assert.Equal(3, parsed.Media.Count);
        Assert.Equal(5, parsed.Errors.Count);
        Assert.Equal(21, parsed.ErrorCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    public void Empty_input_gives_an_error_and_no_media(string? text)
    {
        SessionDescription parsed = SdpParser.Parse(text);

        Assert.NotEmpty(parsed.Errors);
        Assert.Empty(parsed.Media);
    }

    [Fact]
    public void Randomly_mutated_browser_offers_never_throw_in_the_parser_or_the_answer_generator()
    {
        var random = new Random(20261123);
        string[] sources = [SdpFixtures.Load(SdpFixtures.ChromiumSimulcast), SdpFixtures.Load(SdpFixtures.FirefoxStyleSimulcast)];
        const string Alphabet = "0123456789:;/ =~-*abcdefghijklmnopqrstuvwxyzAB\r\n\t\u00e9\u0000";
        int answered = 0;
        for (int round = 0; round < 3000; round++)
        {
            char[] text = sources[round % 2].ToCharArray();
            int mutations = random.Next(1, 20);
            for (int i = 0; i < mutations; i++)
            {
                text[random.Next(text.Length)] = Alphabet[random.Next(Alphabet.Length)];
            }

            string mutated = new(text, 0, random.Next(text.Length / 2, text.Length + 1));
            SessionDescription parsed = SdpParser.Parse(mutated);
            SdpAnswerResult answer = SfuAnswerGenerator.CreateAnswer(parsed, SdpFixtures.SfuTransport());
            if (answer.Succeeded)
            {
                answered++;
                Assert.Empty(SdpParser.Parse(answer.ToSdp()).Errors);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(answer.Error));
            }
        }

        Assert.InRange(answered, 1, 2999);
    }
}
