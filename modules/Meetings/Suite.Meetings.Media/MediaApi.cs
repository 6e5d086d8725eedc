using System.Net;

namespace Suite.Meetings.Media;

// The surface the Meetings module uses. Everything behind it (transport, SRTP, forwarding) stays internal, so the
// engine could be swapped for another SFU without touching the module.

/// <summary>Settings of the embedded SFU (bound from configuration by the Meetings module).</summary>
public sealed record MediaServerOptions
{
    /// <summary>Address the one media UDP port binds to.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>The media UDP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = 40000;

    /// <summary>Addresses announced as host candidates (the public address behind a 1:1 NAT); empty: the bound address.</summary>
    public IReadOnlyList<IPAddress> AdvertisedAddresses { get; init; } = [];

    /// <summary>A participant with no connectivity check for this long is removed (RFC 7675: 30 s).</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A hard ceiling per room, whatever the meeting settings say (they are checked before joining).</summary>
    public int MaxParticipantsPerRoom { get; init; } = 200;
}

/// <summary>Starts the embedded SFU.</summary>
public static class MediaServerFactory
{
    /// <summary>Binds the media port and starts its receive loop; dispose the result to stop.</summary>
    public static IMediaServer Start(MediaServerOptions options) => Rooms.MediaServer.Start(options);
}

/// <summary>The embedded SFU: one UDP port, many rooms. Thread-safe.</summary>
public interface IMediaServer : IDisposable
{
    /// <summary>The bound media port (useful when <see cref="MediaServerOptions.Port"/> is 0).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The room with this id, created on first use.</summary>
    IMediaRoom OpenRoom(string roomId);

    IMediaRoom? FindRoom(string roomId);

    IReadOnlyCollection<IMediaRoom> Rooms { get; }

    /// <summary>Counters since start for the whole server.</summary>
    MediaMetrics Metrics { get; }
}

/// <summary>One meeting's media: its participants, their published tracks and who receives what.</summary>
public interface IMediaRoom
{
    string Id { get; }

    IReadOnlyCollection<IMediaParticipant> Participants { get; }

    /// <summary>Every published track of the room.</summary>
    IReadOnlyList<MediaTrackInfo> Tracks { get; }

    /// <summary>Adds a participant (a participant with the same id is replaced: a rejoin after a reload).</summary>
    IMediaParticipant Join(string participantId);

    IMediaParticipant? Find(string participantId);

    /// <summary>Removes a participant and unpublishes its tracks; raises <see cref="MediaParticipantLeft"/>.</summary>
    void Remove(string participantId, string reason);

    /// <summary>Stops (false) or resumes (true) forwarding a track to everyone: a moderator's "mute" or "stop camera".</summary>
    bool SetTrackEnabled(string trackId, bool enabled);

    /// <summary>Raised on a media thread; handlers must be quick and must not throw (a throwing handler is logged in the metrics and ignored).</summary>
    event Action<MediaRoomEvent>? EventRaised;

    MediaMetrics Metrics { get; }

    /// <summary>Removes everybody and forgets the room.</summary>
    void Close();
}

/// <summary>
/// One participant's media: a publish connection (the browser offers what it sends, the SFU answers) and a subscribe
/// connection (the SFU offers the other participants' tracks, the browser answers). Thread-safe.
/// </summary>
public interface IMediaParticipant
{
    string Id { get; }

    string RoomId { get; }

    /// <summary>Answers the browser's offer of its send-only tracks. <paramref name="sourcesByMid"/> says which
    /// m-section is the camera, the microphone or a screen share (tracks default to camera/microphone by kind).
    /// A later offer (a track added or removed) renegotiates the same connection.</summary>
    MediaNegotiation Publish(string offerSdp, IReadOnlyDictionary<string, MediaTrackSource>? sourcesByMid = null);

    /// <summary>
    /// The SFU's next offer for the subscribe connection, or null when nothing changed since the last answered offer
    /// or while an offer is waiting for its answer (so that offers never cross). Call it after
    /// <see cref="MediaSubscriptionChanged"/> and after each answer.
    /// </summary>
    string? TakeSubscriberOffer();

    MediaNegotiation AcceptSubscriberAnswer(string answerSdp);

    /// <summary>The highest simulcast layer this participant wants of a track (0 = lowest; e.g. for a small tile).</summary>
    void SetMaxLayer(string trackId, int maxLayer);

    MediaConnectionState PublishState { get; }

    MediaConnectionState SubscribeState { get; }

    MediaParticipantStats GetStats();
}

public enum MediaTrackSource
{
    Camera,
    Microphone,
    ScreenShare,
    ScreenShareAudio,
}

public enum MediaConnectionState
{
    New,
    Connecting,
    Connected,
    Failed,
    Closed,
}

/// <summary>A published track. <see cref="TrackId"/> is stable for the life of the publication and is the msid track id subscribers see.</summary>
public sealed record MediaTrackInfo(string TrackId, string ParticipantId, string Kind, MediaTrackSource Source, int LayerCount, bool Enabled);

/// <summary>The outcome of an offer/answer step: the answer SDP on success, else a reason for the user and the logs.</summary>
public sealed record MediaNegotiation(bool Succeeded, string? Sdp, string? Error)
{
    public static MediaNegotiation Success(string? sdp) => new(true, sdp, null);

    public static MediaNegotiation Failure(string error) => new(false, null, error);
}

public sealed record MediaParticipantStats(
    long ReceivedBitsPerSecond,
    long SentBitsPerSecond,
    double ReceiveLossFraction,
    double SendLossFraction,
    double? RoundTripMilliseconds,
    long EstimatedSendBandwidth,
    IReadOnlyDictionary<string, int> LayersByTrack);

/// <summary>Monotonic counters (a snapshot).</summary>
public sealed record MediaMetrics(
    long PacketsIn,
    long BytesIn,
    long PacketsOut,
    long BytesOut,
    long NacksServed,
    long KeyframeRequests,
    long HandshakesSucceeded,
    long HandshakesFailed,
    IReadOnlyDictionary<string, long> DroppedByReason);

public abstract record MediaRoomEvent(string RoomId);

public sealed record MediaTrackPublished(string RoomId, MediaTrackInfo Track) : MediaRoomEvent(RoomId);

public sealed record MediaTrackUnpublished(string RoomId, MediaTrackInfo Track) : MediaRoomEvent(RoomId);

/// <summary>The dominant speaker changed (null: nobody is speaking).</summary>
public sealed record MediaSpeakerChanged(string RoomId, string? ParticipantId) : MediaRoomEvent(RoomId);

/// <summary>The participant's subscribe connection needs a new offer (<see cref="IMediaParticipant.TakeSubscriberOffer"/>).</summary>
public sealed record MediaSubscriptionChanged(string RoomId, string ParticipantId) : MediaRoomEvent(RoomId);

public sealed record MediaParticipantConnected(string RoomId, string ParticipantId) : MediaRoomEvent(RoomId);

public sealed record MediaParticipantLeft(string RoomId, string ParticipantId, string Reason) : MediaRoomEvent(RoomId);

/// <summary>A connection failed (DTLS, consent lost): the participant was removed and may rejoin.</summary>
public sealed record MediaParticipantFailed(string RoomId, string ParticipantId, string Reason) : MediaRoomEvent(RoomId);
