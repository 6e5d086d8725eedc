using System.Net;
using Suite.Meetings.Media.Rooms;
using Suite.Meetings.Media.Sdp;
using Suite.Meetings.Media.Tests.Sdp;

namespace Suite.Meetings.Media.Tests.Rooms;

public sealed class RoomNegotiationTests : IDisposable
{
    private readonly MediaServer _server = MediaServer.Start(new MediaServerOptions { BindAddress = IPAddress.Loopback, Port = 0, MaxParticipantsPerRoom = 3 });
    private readonly List<MediaRoomEvent> _events = [];

    public void Dispose() => _server.Dispose();

    private IMediaRoom OpenRoom()
    {
        IMediaRoom room = _server.OpenRoom("r1");
        room.EventRaised += e =>
        {
            lock (_events)
            {
                _events.Add(e);
            }
        };
        return room;
    }

    /// <summary>Events leave on the thread pool: waits (up to 10 s) until they satisfy the condition.</summary>
    private List<MediaRoomEvent> EventsOnceThey(Func<List<MediaRoomEvent>, bool> condition)
    {
        List<MediaRoomEvent> Snapshot()
        {
            lock (_events)
            {
                return [.. _events];
            }
        }

        SpinWait.SpinUntil(() => condition(Snapshot()), TimeSpan.FromSeconds(10));
        return Snapshot();
    }

    [Fact]
    public void Publishing_answers_the_offer_and_announces_each_track_with_its_simulcast_layers()
    {
        IMediaRoom room = OpenRoom();
        IMediaParticipant alice = room.Join("alice");

        MediaNegotiation answer = alice.Publish(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast));

        Assert.True(answer.Succeeded, answer.Error);
        SessionDescription parsed = SdpParser.Parse(answer.Sdp);
        Assert.True(parsed.Transport.IceLite);
        Assert.Contains(parsed.Media, media => media.Simulcast is { Receive.Count: 3 });
        Assert.Equal(2, room.Tracks.Count);
        Assert.Contains(room.Tracks, track => track is { Kind: "video", LayerCount: 3, Source: MediaTrackSource.Camera, ParticipantId: "alice" });
        Assert.Contains(room.Tracks, track => track is { Kind: "audio", LayerCount: 1, Source: MediaTrackSource.Microphone });
        Assert.Equal(2, EventsOnceThey(e => e.OfType<MediaTrackPublished>().Count() >= 2).OfType<MediaTrackPublished>().Count());
        Assert.Equal(MediaConnectionState.Connecting, alice.PublishState);
    }

    [Fact]
    public void A_subscriber_gets_one_offer_at_a_time_with_the_other_participants_tracks()
    {
        IMediaRoom room = OpenRoom();
        IMediaParticipant alice = room.Join("alice");
        IMediaParticipant bob = room.Join("bob");
        Assert.Null(bob.TakeSubscriberOffer()); // nothing published yet

        alice.Publish(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast), new Dictionary<string, MediaTrackSource> { ["1"] = MediaTrackSource.ScreenShare });
        List<MediaRoomEvent> events = EventsOnceThey(e => e.OfType<MediaTrackPublished>().Count() >= 2);
        Assert.Contains(events, e => e is MediaSubscriptionChanged { ParticipantId: "bob" });
        Assert.DoesNotContain(events, e => e is MediaSubscriptionChanged { ParticipantId: "alice" });
        Assert.Null(alice.TakeSubscriberOffer()); // one's own tracks are not offered back

        string? offer = bob.TakeSubscriberOffer();
        Assert.NotNull(offer);
        Assert.Null(bob.TakeSubscriberOffer()); // offers never cross: the first one waits for its answer
        SessionDescription parsed = SdpParser.Parse(offer);
        Assert.All(parsed.Media, media => Assert.Equal(SdpSetupRole.ActPass, media.EffectiveSetup));
        Assert.All(parsed.Media, media => Assert.Equal(SdpDirection.SendOnly, media.Direction));
        Assert.Equal(room.Tracks.Select(t => t.TrackId).Order(), parsed.Media.Select(m => m.MsidTrack!).Order());
        Assert.All(parsed.Media, media => Assert.Equal("alice", media.MsidStream));
        Assert.Contains(room.Tracks, track => track.Source == MediaTrackSource.ScreenShare);

        MediaNegotiation accepted = bob.AcceptSubscriberAnswer(BrowserSdp.AnswerTo(offer));
        Assert.True(accepted.Succeeded, accepted.Error);
        Assert.Null(bob.TakeSubscriberOffer()); // nothing changed since
        Assert.False(bob.AcceptSubscriberAnswer(BrowserSdp.AnswerTo(offer)).Succeeded); // no offer is waiting
    }

    [Fact]
    public void When_a_publisher_leaves_its_m_sections_turn_inactive_and_keep_their_mids()
    {
        IMediaRoom room = OpenRoom();
        IMediaParticipant alice = room.Join("alice");
        IMediaParticipant bob = room.Join("bob");
        alice.Publish(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast));
        string first = bob.TakeSubscriberOffer()!;
        Assert.True(bob.AcceptSubscriberAnswer(BrowserSdp.AnswerTo(first)).Succeeded);

        room.Remove("alice", "left");

        List<MediaRoomEvent> events = EventsOnceThey(e => e.OfType<MediaParticipantLeft>().Any());
        Assert.Equal(2, events.OfType<MediaTrackUnpublished>().Count());
        Assert.Contains(events, e => e is MediaParticipantLeft { ParticipantId: "alice", Reason: "left" });
        Assert.Empty(room.Tracks);
        SessionDescription second = SdpParser.Parse(bob.TakeSubscriberOffer()!);
        Assert.Equal(SdpParser.Parse(first).Media.Select(m => m.Mid), second.Media.Select(m => m.Mid));
        Assert.All(second.Media, media => Assert.Equal(SdpDirection.Inactive, media.Direction));
    }

    [Fact]
    public void A_late_joiner_is_offered_the_tracks_already_published()
    {
        IMediaRoom room = OpenRoom();
        room.Join("alice").Publish(SdpFixtures.Load(SdpFixtures.ChromiumPlain));
        IMediaParticipant carol = room.Join("carol");

        SessionDescription offer = SdpParser.Parse(carol.TakeSubscriberOffer()!);

        Assert.Equal(room.Tracks.Count, offer.Media.Count);
        Assert.All(offer.Media, media => Assert.Single(media.Ssrcs));
    }

    [Fact]
    public void Bad_input_is_refused_with_a_reason_and_changes_nothing()
    {
        IMediaRoom room = OpenRoom();
        IMediaParticipant alice = room.Join("alice");
        IMediaParticipant bob = room.Join("bob");

        MediaNegotiation garbage = alice.Publish("this is not SDP");
        Assert.False(garbage.Succeeded);
        Assert.False(string.IsNullOrEmpty(garbage.Error));
        Assert.Empty(room.Tracks);

        alice.Publish(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast));
        string offer = bob.TakeSubscriberOffer()!;
        MediaNegotiation passive = bob.AcceptSubscriberAnswer(BrowserSdp.AnswerTo(offer, setup: "passive"));
        Assert.False(passive.Succeeded);
        Assert.Contains("setup", passive.Error, StringComparison.Ordinal);
        Assert.True(bob.AcceptSubscriberAnswer(BrowserSdp.AnswerTo(offer)).Succeeded); // the offer still waits for a good answer

        Assert.Throws<ArgumentException>(() => room.Join("not a valid id!"));
        Assert.False(room.SetTrackEnabled("no-such-track", false));
    }

    [Fact]
    public void A_room_refuses_participants_beyond_its_ceiling_but_accepts_a_rejoin()
    {
        IMediaRoom room = OpenRoom();
        room.Join("a");
        room.Join("b");
        room.Join("c");

        Assert.Throws<InvalidOperationException>(() => room.Join("d"));
        IMediaParticipant again = room.Join("b");
        Assert.Equal(3, room.Participants.Count);
        Assert.Contains(EventsOnceThey(e => e.OfType<MediaParticipantLeft>().Any()), e => e is MediaParticipantLeft { ParticipantId: "b", Reason: "rejoined" });
        Assert.Same(again, room.Find("b"));
    }

    [Fact]
    public void A_moderator_can_stop_and_resume_a_track_and_closing_the_room_removes_everyone()
    {
        IMediaRoom room = OpenRoom();
        room.Join("alice").Publish(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast));
        string audio = room.Tracks.Single(t => t.Kind == "audio").TrackId;

        Assert.True(room.SetTrackEnabled(audio, false));
        Assert.False(room.Tracks.Single(t => t.TrackId == audio).Enabled);
        Assert.True(room.SetTrackEnabled(audio, true));
        Assert.True(room.Tracks.Single(t => t.TrackId == audio).Enabled);

        room.Close();
        Assert.Empty(room.Participants);
        Assert.Null(_server.FindRoom("r1"));
        Assert.Throws<InvalidOperationException>(() => room.Join("late"));
    }
}
