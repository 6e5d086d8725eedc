using Suite.Meetings.Media.Sdp;

namespace Suite.Meetings.Media.Tests.Sdp;

public sealed class SfuAnswerGeneratorTests
{
    [Fact]
    public void Answer_to_chromium_is_ice_lite_passive_bundled_with_our_candidates_and_fingerprint()
    {
        SessionDescription offer = SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast);

        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(offer, SdpFixtures.SfuTransport(), sessionId: 42, sessionVersion: 3);

        Assert.True(result.Succeeded, result.Error);
        SessionDescription answer = SdpParser.Parse(result.ToSdp());
        Assert.Empty(answer.Errors);
        Assert.True(answer.Transport.IceLite);
        Assert.Equal("42", answer.OriginSessionId);
        Assert.Equal(3UL, answer.OriginSessionVersion);
        Assert.Equal(["0", "1"], answer.BundleMids);
        foreach (MediaDescription media in answer.Media)
        {
            Assert.Equal(SdpSetupRole.Passive, media.EffectiveSetup);
            Assert.Equal(SdpFixtures.SfuCertificate.Fingerprint, media.EffectiveFingerprint);
            Assert.Equal("sfuU", media.EffectiveIceUfrag);
            Assert.Equal("sfuPasswordSfuPassword12", media.EffectiveIcePwd);
            Assert.Equal(SdpDirection.RecvOnly, media.Direction);
            Assert.True(media.RtcpMux);
            Assert.Equal(40000, media.Port);
            Assert.Equal(["192.0.2.10", "2001:db8::10"], media.Candidates.Select(candidate => candidate.Address));
            Assert.All(media.Candidates, candidate => Assert.Equal(("udp", "host", 40000), (candidate.Transport, candidate.Type, candidate.Port)));
            Assert.True(media.Candidates[0].Priority > media.Candidates[1].Priority);
            Assert.True(media.EndOfCandidates);
        }
    }

    [Fact]
    public void Remote_ice_credentials_and_fingerprint_come_from_the_offer()
    {
        SessionDescription offer = SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast);

        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(offer, SdpFixtures.SfuTransport());

        Assert.Equal(offer.Media[0].EffectiveIceUfrag, result.Remote!.IceUfrag);
        Assert.Equal(offer.Media[0].EffectiveIcePwd, result.Remote.IcePwd);
        Assert.Equal(offer.Media[0].EffectiveFingerprint, result.Remote.Fingerprint);
        Assert.Equal(SdpSetupRole.ActPass, result.Remote.Setup);
    }

    [Fact]
    public void Audio_keeps_only_opus_and_the_supported_extensions_with_the_offered_ids()
    {
        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast), SdpFixtures.SfuTransport());

        MediaDescription audio = result.Answer!.Media[0];
        Assert.Equal(["111"], audio.Formats);
        SdpCodec opus = Assert.Single(audio.Codecs);
        Assert.Equal("minptime=10;useinbandfec=1", opus.Fmtp);
        Assert.Equal(["transport-cc"], opus.Feedback);
        Assert.Equal(
            [(1, RtpExtensionUris.AudioLevel), (2, RtpExtensionUris.AbsSendTime), (3, RtpExtensionUris.TransportWideCc), (4, RtpExtensionUris.Mid)],
            audio.HeaderExtensions.Select(extension => (extension.Id, extension.Uri)));
        Assert.Null(audio.Simulcast);
    }

    [Fact]
    public void Video_keeps_vp8_vp9_profile_0_and_constrained_baseline_h264_each_with_its_rtx()
    {
        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast), SdpFixtures.SfuTransport());

        MediaDescription video = result.Answer!.Media[1];
        Assert.Equal(["96", "108", "98", "97", "109", "99"], video.Formats);
        Assert.Equal(["VP8", "H264", "VP9", "rtx", "rtx", "rtx"], video.Codecs.Select(codec => codec.Name));
        Assert.Equal(96, video.FindRtxFor(96)!.AssociatedPayloadType);
        Assert.Equal(109, video.FindRtxFor(108)!.PayloadType);
        Assert.Equal("42e01f", video.FindCodec(108)!.Parameter("profile-level-id"));
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], video.FindCodec(96)!.Feedback);
        Assert.Empty(video.FindCodec(97)!.Feedback);
        Assert.DoesNotContain(video.HeaderExtensions, extension => extension.Uri.Contains("toffset", StringComparison.Ordinal));
        Assert.Equal([2, 3, 4, 10, 11], video.HeaderExtensions.Select(extension => extension.Id));
    }

    [Fact]
    public void Simulcast_send_is_answered_with_recv_rids_in_the_same_order()
    {
        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast), SdpFixtures.SfuTransport());

        MediaDescription video = SdpParser.Parse(result.ToSdp()).Media[1];
        Assert.Equal(["q", "h", "f"], video.Rids.Select(rid => rid.Id));
        Assert.All(video.Rids, rid => Assert.Equal(SdpDirection.RecvOnly, rid.Direction));
        Assert.Empty(video.Simulcast!.Send);
        Assert.Equal(["q", "h", "f"], video.Simulcast.Receive.Select(stream => stream[0].Rid));
        Assert.Contains("a=simulcast:recv q;h;f\r\n", result.ToSdp(), StringComparison.Ordinal);
    }

    [Fact]
    public void Firefox_layout_offer_gets_vp8_vp9_and_only_the_packetization_mode_1_h264()
    {
        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpFixtures.Parse(SdpFixtures.FirefoxStyleSimulcast), SdpFixtures.SfuTransport());

        Assert.True(result.Succeeded, result.Error);
        MediaDescription video = result.Answer!.Media[1];
        Assert.Equal(["120", "121", "126", "124", "125", "127"], video.Formats);
        Assert.Equal(["109"], result.Answer.Media[0].Formats);
        Assert.Equal(["q", "h", "f"], video.Rids.Select(rid => rid.Id));
        Assert.All(result.Answer.Media[0].HeaderExtensions, extension => Assert.Null(extension.Direction));
        Assert.DoesNotContain(result.Answer.Media[0].HeaderExtensions, extension => extension.Id == 2);
    }

    [Fact]
    public void Data_channel_and_unbundled_sections_are_rejected_and_left_out_of_bundle()
    {
        string offer = SdpFixtures.Load(SdpFixtures.ChromiumPlain).Replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0 2", StringComparison.Ordinal)
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n";

        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpParser.Parse(offer), SdpFixtures.SfuTransport());

        Assert.True(result.Succeeded, result.Error);
        SessionDescription answer = SdpParser.Parse(result.ToSdp());
        Assert.Empty(answer.Errors);
        Assert.Equal(["0"], answer.BundleMids);
        Assert.Equal(["0", "1", "2"], answer.Media.Select(media => media.Mid));
        Assert.Equal([40000, 0, 0], answer.Media.Select(media => media.Port));
        Assert.Equal(("application", "webrtc-datachannel"), (answer.Media[2].Kind, answer.Media[2].Formats.Single()));
        Assert.Contains(result.Notes, note => note.Contains("not in the BUNDLE group", StringComparison.Ordinal));
        Assert.Contains(result.Notes, note => note.Contains("data channels are not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void Section_without_a_common_codec_is_rejected_while_the_others_are_accepted()
    {
        string offer = SdpFixtures.Load(SdpFixtures.ChromiumPlain);
        var videoOnlyVp8 = new SfuMediaCapabilities(
            [new SupportedCodec("video", "VP8", 90000, 1, SfuMediaCapabilities.VideoFeedback)], [RtpExtensionUris.Mid]);

        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpParser.Parse(offer), SdpFixtures.SfuTransport(), videoOnlyVp8);

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.Answer!.Media[0].Port);
        Assert.Equal(["1"], result.Answer.BundleMids);
        Assert.Contains(result.Notes, note => note.Contains("no codec in common", StringComparison.Ordinal));
        Assert.Equal(["96", "97"], result.Answer.Media[1].Formats);
    }

    [Fact]
    public void Simulcast_is_dropped_when_the_rid_extension_was_not_offered()
    {
        string offer = SdpFixtures.Load(SdpFixtures.ChromiumSimulcast)
            .Replace("a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n", "", StringComparison.Ordinal);

        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpParser.Parse(offer), SdpFixtures.SfuTransport());

        Assert.Null(result.Answer!.Media[1].Simulcast);
        Assert.Empty(result.Answer.Media[1].Rids);
        Assert.Contains(result.Notes, note => note.Contains("simulcast dropped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a=setup:actpass", "a=setup:passive", "always the DTLS server")]
    [InlineData("a=fingerprint:sha-256", "a=x-fingerprint:sha-256", "no usable DTLS fingerprint")]
    [InlineData("a=ice-pwd:", "a=x-ice-pwd:", "no ICE credentials")]
    [InlineData("a=rtcp-mux\r\n", "", "no m-section could be accepted")]
    [InlineData("a=group:BUNDLE 0 1", "a=group:LS 0 1", "no m-section could be accepted")]
    public void Offers_the_sfu_cannot_serve_fail_with_a_reason(string find, string replace, string expectedError)
    {
        string offer = SdpFixtures.Load(SdpFixtures.ChromiumSimulcast).Replace(find, replace, StringComparison.Ordinal);

        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpParser.Parse(offer), SdpFixtures.SfuTransport());

        Assert.False(result.Succeeded);
        Assert.Contains(expectedError, result.Error, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => result.ToSdp());
    }

    [Fact]
    public void Empty_offer_fails_with_a_reason()
    {
        SdpAnswerResult result = SfuAnswerGenerator.CreateAnswer(SdpParser.Parse("garbage"), SdpFixtures.SfuTransport());

        Assert.False(result.Succeeded);
        Assert.Equal("the offer has no m-sections", result.Error);
    }
}
