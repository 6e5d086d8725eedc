using Suite.Meetings.Media.Sdp;

namespace Suite.Meetings.Media.Tests.Sdp;

public sealed class SubscriberOfferGeneratorTests
{
    private static IReadOnlyList<SubscriberTrack> Tracks()
    {
        SessionDescription publisher = SfuAnswerGenerator.CreateAnswer(SdpFixtures.Parse(SdpFixtures.ChromiumSimulcast), SdpFixtures.SfuTransport()).Answer!;
        MediaDescription audio = publisher.Media[0];
        MediaDescription video = publisher.Media[1];
        List<SdpHeaderExtension> videoExtensions = video.HeaderExtensions
            .Where(extension => extension.Uri is not (RtpExtensionUris.Rid or RtpExtensionUris.RepairedRid)).ToList();
        return
        [
            new SubscriberTrack("a1", "audio", audio.Codecs, audio.HeaderExtensions, 1111, null, "sfu", "stream1", "audio1"),
            new SubscriberTrack("v1", "video", video.Codecs, videoExtensions, 2222, 3333, "sfu", "stream1", "video1"),
            new SubscriberTrack("v2", "video", video.Codecs, [], 4444, 5555, "sfu", "stream2", "video2", Active: false),
        ];
    }

    [Fact]
    public void Offer_is_ice_lite_actpass_and_bundles_every_track()
    {
        string sdp = SdpWriter.Write(SubscriberOfferGenerator.CreateOffer(SdpFixtures.SfuTransport("127.0.0.1:40000"), Tracks(), 7, 2));

        SessionDescription offer = SdpParser.Parse(sdp);

        Assert.Empty(offer.Errors);
        Assert.True(offer.Transport.IceLite);
        Assert.Equal(["a1", "v1", "v2"], offer.BundleMids);
        Assert.All(offer.Media, media =>
        {
            Assert.Equal(SdpSetupRole.ActPass, media.EffectiveSetup);
            Assert.Equal(SdpFixtures.SfuCertificate.Fingerprint, media.EffectiveFingerprint);
            Assert.Equal("127.0.0.1", Assert.Single(media.Candidates).Address);
            Assert.True(media.RtcpMux);
        });
        Assert.Equal(2UL, offer.OriginSessionVersion);
    }

    [Fact]
    public void Active_video_track_is_sendonly_with_msid_and_an_fid_group_for_its_rtx()
    {
        SessionDescription offer = SdpParser.Parse(SdpWriter.Write(SubscriberOfferGenerator.CreateOffer(SdpFixtures.SfuTransport(), Tracks())));

        MediaDescription video = offer.FindByMid("v1")!;
        Assert.Equal(SdpDirection.SendOnly, video.Direction);
        Assert.Equal(("stream1", "video1"), (video.MsidStream, video.MsidTrack));
        Assert.Equal("FID", Assert.Single(video.SsrcGroups).Semantics);
        Assert.Equal([2222u, 3333u], video.SsrcGroups[0].Ssrcs);
        Assert.All(video.Ssrcs, ssrc => Assert.Equal(("sfu", "stream1 video1"), (ssrc.Cname, ssrc.Attributes["msid"])));
        Assert.Equal(["96", "108", "98", "97", "109", "99"], video.Formats);
        Assert.Null(video.FindExtension(RtpExtensionUris.Rid));

        MediaDescription audio = offer.FindByMid("a1")!;
        Assert.Equal(1111u, Assert.Single(audio.Ssrcs).Ssrc);
        Assert.Empty(audio.SsrcGroups);
    }

    [Fact]
    public void Inactive_track_keeps_its_mid_but_announces_no_source()
    {
        SessionDescription offer = SdpParser.Parse(SdpWriter.Write(SubscriberOfferGenerator.CreateOffer(SdpFixtures.SfuTransport(), Tracks())));

        MediaDescription inactive = offer.FindByMid("v2")!;
        Assert.Equal(SdpDirection.Inactive, inactive.Direction);
        Assert.Empty(inactive.Ssrcs);
        Assert.Null(inactive.MsidStream);
        Assert.NotEqual(0, inactive.Port);
    }

    [Fact]
    public void Duplicate_mids_or_no_tracks_are_programming_errors()
    {
        IReadOnlyList<SubscriberTrack> tracks = Tracks();
        Assert.Throws<ArgumentException>(() => SubscriberOfferGenerator.CreateOffer(SdpFixtures.SfuTransport(), []));
        Assert.Throws<ArgumentException>(() => SubscriberOfferGenerator.CreateOffer(SdpFixtures.SfuTransport(), [tracks[0], tracks[0]]));
    }

    [Fact]
    public void Chromiums_answer_to_our_subscriber_offer_takes_the_dtls_client_role_and_receives_every_track()
    {
        SessionDescription answer = SdpFixtures.Parse("chromium-subscriber-answer.sdp");

        Assert.Empty(answer.Errors);
        Assert.Equal(["a1", "v1", "v2"], answer.BundleMids);
        Assert.All(answer.Media, media => Assert.Equal(SdpSetupRole.Active, media.EffectiveSetup));
        Assert.Equal(
            [SdpDirection.RecvOnly, SdpDirection.RecvOnly, SdpDirection.Inactive],
            answer.Media.Select(media => media.Direction));
        Assert.Equal(["96", "108", "98", "97", "109", "99"], answer.FindByMid("v1")!.Formats);
        Assert.NotNull(answer.Media[0].EffectiveFingerprint);
    }
}
