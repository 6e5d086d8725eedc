using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Authorization;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Features.History;
using Suite.Meetings.Features.Rooms;
using Suite.Meetings.Media;
using static Suite.Meetings.Features.Call.CallProtocol;

namespace Suite.Meetings.Features.Call;

/// <summary>
/// One meeting in progress: the participants, the room switches, hands, and the bridge between the signalling sockets
/// and the media room. Everything that changes the call runs on one work loop (a channel of actions), so sockets,
/// media events, the lobby and the timer never race, and a failing handler is logged without stopping the loop.
/// </summary>
internal sealed class CallRoom
{
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TicketRefresh = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, CallParticipant> _participants = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _ids = new(StringComparer.Ordinal);
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IMediaRoom _media;
    private readonly CallRooms _rooms;
    private readonly CallTickets _tickets;
    private readonly Features.Lobby.Lobby _lobby;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private string? _speaker;
    private volatile int _count;
    private Task _roleWrites = Task.CompletedTask;

    public CallRoom(CallRoomInfo info, IMediaRoom media, CallRooms rooms, CallTickets tickets, Features.Lobby.Lobby lobby, TimeProvider clock, ILogger logger, IServiceProvider services)
    {
        Info = info;
        _media = media;
        _rooms = rooms;
        _tickets = tickets;
        _lobby = lobby;
        _clock = clock;
        _logger = logger;
        Services = services;
        MayUnmute = info.MayUnmute;
        MayShareScreen = info.MayShareScreen;
        MayChat = info.MayChat;
        _ = Task.Run(RunAsync);
        _media.EventRaised += OnMediaEvent;
        _lobby.RoomChanged += OnLobbyChanged;
        _timer = clock.CreateTimer(_ => Post(Tick), null, TickInterval, TickInterval);
    }

    public CallRoomInfo Info { get; }
    public IServiceProvider Services { get; }
    public bool MayUnmute { get; private set; }
    public bool MayShareScreen { get; private set; }
    public bool MayChat { get; private set; }
    public bool IsClosed { get; private set; }
    public int Count => _count;

    /// <summary>Room for one more, or for a participant already counted (a reconnection). Safe from any thread.</summary>
    public bool HasRoomFor(string? participantId, int maxParticipants) =>
        _count < maxParticipants || (participantId is not null && _ids.ContainsKey(participantId));

    public void Post(Action action)
    {
        if (!_work.Writer.TryWrite(action))
            _logger.LogDebug("Call {Room}: work posted after the call closed", Info.Code);
    }

    /// <summary>Runs <paramref name="action"/> on the work loop and waits for its result.</summary>
    public Task<T> Run<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try { done.TrySetResult(action()); }
            catch (Exception error) { done.TrySetException(error); }
        });
        if (IsClosed)
            done.TrySetCanceled();
        return done.Task;
    }

    private async Task RunAsync()
    {
        await foreach (var action in _work.Reader.ReadAllAsync())
        {
            try
            {
                action();
            }
            catch (Exception error)
            {
                _logger.LogError(error, "Call {Room}: a step failed; the call goes on", Info.Code);
            }
        }
    }

    // ---- joining and leaving --------------------------------------------------------------------------------------

    /// <summary>Adds (or, with a rejoin ticket, reconnects) a participant. Null and an error code when refused.</summary>
    public (CallParticipant? Participant, string? Error) Join(CallAdmission admission, CallConnection connection, bool mic, bool camera, int maxParticipants)
    {
        if (IsClosed)
            return (null, CallErrors.Refused);
        var ticket = admission.Ticket;
        var now = _clock.GetUtcNow();
        CallParticipant participant;
        if (ticket.ParticipantId is { } rejoining && _participants.TryGetValue(rejoining, out var existing))
        {
            participant = existing;
            participant.Connection?.Close("replaced");
            participant.Generation++;
            participant.DisconnectedAt = null;
        }
        else
        {
            if (_participants.Count >= maxParticipants)
                return (null, CallErrors.RoomFull);
            participant = new CallParticipant
            {
                Id = ticket.ParticipantId ?? Guid.NewGuid().ToString("N"),
                Ticket = ticket,
                DisplayName = ticket.DisplayName,
                Role = admission.Role,
                JoinedAt = now,
            };
            participant.Attendance = RecordJoinedAsync(participant);
        }
        try
        {
            participant.Media = _media.Join(participant.Id);
        }
        catch (Exception error)
        {
            _logger.LogError(error, "Call {Room}: the media server refused participant {Participant}", Info.Code, participant.Id);
            return (null, CallErrors.MediaUnavailable);
        }
        participant.Connection = connection;
        participant.MediaFailed = false;
        participant.Mic = mic && (MayUnmute || participant.IsModerator);
        participant.Camera = camera;
        participant.Screen = false;
        participant.LastTicketAt = now;
        _participants[participant.Id] = participant;
        _ids[participant.Id] = true;
        _count = _participants.Count;

        connection.Send(new
        {
            type = "welcome",
            self = new { id = participant.Id, name = participant.DisplayName, role = participant.Role, mic = participant.Mic },
            room = new { code = Info.Code, name = Info.Name },
            switches = Switches(),
            ticket = RejoinTicket(participant),
        });
        if (mic && !participant.Mic)
            connection.Send(new { type = "muted", by = (string?)null });
        BroadcastRoster();
        if (participant.IsModerator)
            SendLobby(participant);
        PushOffer(participant);
        _logger.LogInformation("Call {Room}: {Participant} ({Role}) joined, {Count} in the call", Info.Code, participant.Id, participant.Role, _count);
        return (participant, null);
    }

    /// <summary>The socket closed without a goodbye: keep the place for a short while, a reconnection takes it back.</summary>
    public void Disconnected(CallParticipant participant, int generation)
    {
        if (participant.Generation != generation || !_participants.ContainsKey(participant.Id))
            return;
        participant.Connection = null;
        participant.DisconnectedAt = _clock.GetUtcNow();
        BroadcastRoster();
    }

    public void Leave(CallParticipant participant, string reason)
    {
        if (!_participants.Remove(participant.Id))
            return;
        _ids.TryRemove(participant.Id, out _);
        _count = _participants.Count;
        RecordLeft(participant);
        participant.Connection?.Close(reason);
        participant.Connection = null;
        try
        {
            _media.Remove(participant.Id, reason);
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "Call {Room}: removing {Participant} from the media room failed", Info.Code, participant.Id);
        }
        if (_speaker == participant.Id)
            _speaker = null;
        _logger.LogInformation("Call {Room}: {Participant} left ({Reason}), {Count} in the call", Info.Code, participant.Id, reason, _count);
        if (_participants.Count == 0)
            Close(ended: false);
        else
            BroadcastRoster();
    }

    private void Close(bool ended)
    {
        if (IsClosed)
            return;
        IsClosed = true;
        _timer.Dispose();
        _media.EventRaised -= OnMediaEvent;
        _lobby.RoomChanged -= OnLobbyChanged;
        foreach (var participant in _participants.Values)
        {
            participant.Connection?.Close(ended ? "ended" : "closed");
            RecordLeft(participant);
        }
        _participants.Clear();
        _ids.Clear();
        _count = 0;
        try
        {
            _media.Close();
        }
        catch (Exception error)
        {
            _logger.LogWarning(error, "Call {Room}: closing the media room failed", Info.Code);
        }
        _rooms.Forget(this, ended);
        _work.Writer.TryComplete();
    }

    /// <summary>The room's meeting history (who joined, when, how long), written off the work loop: a slow database
    /// never holds up the call, and a failure only costs a history row.</summary>
    private Task<Guid?> RecordJoinedAsync(CallParticipant participant) => Task.Run(async () =>
    {
        try
        {
            await using var scope = Services.CreateAsyncScope();
            return (Guid?)await scope.ServiceProvider.GetRequiredService<MeetingHistory>()
                .RecordJoinedAsync(Info.Id, participant.Ticket.UserId, participant.DisplayName, CancellationToken.None);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            _logger.LogWarning(error, "Call {Room}: the arrival of {Participant} was not recorded in the history", Info.Code, participant.Id);
            return null;
        }
    });

    private void RecordLeft(CallParticipant participant)
    {
        if (participant.Attendance is not { } attendance)
            return;
        participant.Attendance = null;
        _ = Task.Run(async () =>
        {
            try
            {
                if (await attendance is not { } id)
                    return;
                await using var scope = Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<MeetingHistory>().RecordLeftAsync(id, CancellationToken.None);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _logger.LogWarning(error, "Call {Room}: the departure of {Participant} was not recorded in the history", Info.Code, participant.Id);
            }
        });
    }

    // ---- messages from participants -------------------------------------------------------------------------------

    public void Handle(CallParticipant sender, int generation, CallMessage message)
    {
        if (sender.Generation != generation || !_participants.ContainsKey(sender.Id) || sender.Connection is not { } connection)
            return;
        var error = message.Type switch
        {
            "publish" => OnPublish(sender, message.Body),
            "subscribe-answer" => OnSubscribeAnswer(sender, message.Body),
            "media-state" => OnMediaState(sender, message.Body),
            "max-layer" => OnMaxLayer(sender, message.Body),
            "chat" => OnChat(sender, message.Body),
            "hand" => OnHand(sender, message.Body),
            "reaction" => OnReaction(sender, message.Body),
            "ping" => Reply(connection, new { type = "pong" }),
            "leave" => Do(() => Leave(sender, "left")),
            "lower-hands" or "mute" or "mute-all" or "stop-camera" or "stop-screen" or "remove" or "promote" or "demote" or "end" or "admit" or "admit-all" or "switches"
                when !sender.IsModerator => CallErrors.NotAllowed,
            "lower-hands" => Do(LowerAllHands),
            "mute" => OnTarget(sender, message.Body, target => Mute(target, sender)),
            "mute-all" => Do(() => { foreach (var target in _participants.Values.Where(p => p != sender && !p.IsModerator).ToList()) Mute(target, sender); }),
            "stop-camera" => OnTarget(sender, message.Body, target => StopSource(target, MediaTrackSource.Camera, sender)),
            "stop-screen" => OnTarget(sender, message.Body, target => StopSource(target, MediaTrackSource.ScreenShare, sender)),
            "remove" => OnTarget(sender, message.Body, target => Remove(target, sender)),
            "promote" => OnTarget(sender, message.Body, target => Promote(target, sender)),
            "demote" => OnTarget(sender, message.Body, target => Demote(target, sender)),
            "end" => Do(() => End(sender)),
            "admit" => OnAdmit(message.Body),
            "admit-all" => TryBool(message.Body, "admit", out var all) ? Do(() => _lobby.DecideAll(Info.Id, all)) : CallErrors.Invalid,
            "switches" => OnSwitches(message.Body),
            "join" => CallErrors.Invalid,
            _ => CallErrors.UnknownType,
        };
        if (error is not null)
            Refuse(sender, message.Type, error);
    }

    public void Refuse(CallParticipant sender, string about, string code)
    {
        _logger.LogWarning("Call {Room}: refused '{Type}' from {Participant} ({Role}): {Code}", Info.Code, about, sender.Id, sender.Role, code);
        sender.Connection?.Send(new { type = "error", code, about });
    }

    private static string? Reply(CallConnection connection, object message)
    {
        connection.Send(message);
        return null;
    }

    private static string? Do(Action action)
    {
        action();
        return null;
    }

    private string? OnTarget(CallParticipant sender, JsonElement body, Func<CallParticipant, string?> act)
    {
        if (!TryString(body, "participantId", 64, out var id))
            return CallErrors.Invalid;
        return _participants.TryGetValue(id, out var target) ? act(target) : CallErrors.UnknownParticipant;
    }

    private string? OnPublish(CallParticipant sender, JsonElement body)
    {
        if (!TryString(body, "sdp", MaxSdpLength, out var sdp) || !TrySources(body, out var sources))
            return CallErrors.Invalid;
        if (!MayShareScreen && !sender.IsModerator && sources.Values.Any(s => s is MediaTrackSource.ScreenShare or MediaTrackSource.ScreenShareAudio))
            return CallErrors.NotAllowed;
        var answer = sender.Media!.Publish(sdp, sources);
        if (!answer.Succeeded)
        {
            _logger.LogWarning("Call {Room}: publish offer of {Participant} failed: {Error}", Info.Code, sender.Id, answer.Error);
            return CallErrors.NegotiationFailed;
        }
        sender.Connection!.Send(new { type = "publish-answer", sdp = answer.Sdp });
        ApplyModeration(sender);
        PushOffer(sender);
        return null;
    }

    private string? OnSubscribeAnswer(CallParticipant sender, JsonElement body)
    {
        if (!TryString(body, "sdp", MaxSdpLength, out var sdp))
            return CallErrors.Invalid;
        var accepted = sender.Media!.AcceptSubscriberAnswer(sdp);
        if (!accepted.Succeeded)
        {
            _logger.LogWarning("Call {Room}: subscriber answer of {Participant} refused: {Error}", Info.Code, sender.Id, accepted.Error);
            return CallErrors.NegotiationFailed;
        }
        PushOffer(sender);
        return null;
    }

    private string? OnMediaState(CallParticipant sender, JsonElement body)
    {
        if (!TryOptionalBool(body, "mic", out var mic) || !TryOptionalBool(body, "camera", out var camera) || !TryOptionalBool(body, "screen", out var screen)
            || (mic is null && camera is null && screen is null))
            return CallErrors.Invalid;
        if (mic == true && !sender.Mic && !MayUnmute && !sender.IsModerator)
            return CallErrors.NotAllowed;
        if (screen == true && !sender.Screen && !MayShareScreen && !sender.IsModerator)
            return CallErrors.NotAllowed;
        if (mic is { } m)
        {
            sender.Mic = m;
            // A moderator's mute stops forwarding on the server; unmuting oneself (where allowed) resumes it.
            if (m)
                SetTracks(sender, MediaTrackSource.Microphone, true);
        }
        if (camera is { } c)
        {
            sender.Camera = c;
            if (c)
                SetTracks(sender, MediaTrackSource.Camera, true);
        }
        if (screen is { } s)
        {
            sender.Screen = s;
            if (s)
                SetTracks(sender, MediaTrackSource.ScreenShare, true);
        }
        BroadcastRoster();
        return null;
    }

    private string? OnMaxLayer(CallParticipant sender, JsonElement body)
    {
        if (!TryString(body, "trackId", 128, out var trackId) || !TryInt(body, "layer", 0, 2, out var layer))
            return CallErrors.Invalid;
        if (!_media.Tracks.Any(t => t.TrackId == trackId))
            return CallErrors.Invalid;
        sender.Media!.SetMaxLayer(trackId, layer);
        return null;
    }

    private string? OnChat(CallParticipant sender, JsonElement body)
    {
        if (!TryString(body, "text", MaxChatLength, out var text) || string.IsNullOrWhiteSpace(text))
            return CallErrors.Invalid;
        if (!MayChat && !sender.IsModerator)
            return CallErrors.NotAllowed;
        Broadcast(new { type = "chat", from = sender.Id, name = sender.DisplayName, text = text.Trim(), at = _clock.GetUtcNow() });
        return null;
    }

    private string? OnHand(CallParticipant sender, JsonElement body)
    {
        if (!TryBool(body, "raised", out var raised))
            return CallErrors.Invalid;
        sender.HandRaisedAt = raised ? sender.HandRaisedAt ?? _clock.GetUtcNow() : null;
        BroadcastRoster();
        return null;
    }

    private string? OnReaction(CallParticipant sender, JsonElement body)
    {
        if (!TryString(body, "emoji", 16, out var emoji) || !Reactions.Contains(emoji))
            return CallErrors.Invalid;
        Broadcast(new { type = "reaction", from = sender.Id, name = sender.DisplayName, emoji });
        return null;
    }

    private string? OnAdmit(JsonElement body)
    {
        if (!TryString(body, "requestId", 64, out var raw) || !Guid.TryParse(raw, out var requestId) || !TryBool(body, "admit", out var admit))
            return CallErrors.Invalid;
        return _lobby.Decide(Info.Id, requestId, admit) ? null : CallErrors.Invalid;
    }

    private string? OnSwitches(JsonElement body)
    {
        if (!TryOptionalBool(body, "selfUnmute", out var unmute) || !TryOptionalBool(body, "screenShare", out var screen) || !TryOptionalBool(body, "chat", out var chat)
            || (unmute is null && screen is null && chat is null))
            return CallErrors.Invalid;
        MayUnmute = unmute ?? MayUnmute;
        MayShareScreen = screen ?? MayShareScreen;
        MayChat = chat ?? MayChat;
        if (screen == false)
        {
            foreach (var sharing in _participants.Values.Where(p => p.Screen && !p.IsModerator).ToList())
                StopSource(sharing, MediaTrackSource.ScreenShare, null);
        }
        Broadcast(new { type = "switches", switches = Switches() });
        return null;
    }

    // ---- moderation -----------------------------------------------------------------------------------------------

    private string? Mute(CallParticipant target, CallParticipant by)
    {
        target.Mic = false;
        SetTracks(target, MediaTrackSource.Microphone, false);
        target.Connection?.Send(new { type = "muted", by = by.DisplayName });
        BroadcastRoster();
        return null;
    }

    private string? StopSource(CallParticipant target, MediaTrackSource source, CallParticipant? by)
    {
        SetTracks(target, source, false);
        if (source == MediaTrackSource.ScreenShare)
        {
            SetTracks(target, MediaTrackSource.ScreenShareAudio, false);
            target.Screen = false;
        }
        else
        {
            target.Camera = false;
        }
        target.Connection?.Send(new { type = source == MediaTrackSource.ScreenShare ? "screen-stopped" : "camera-stopped", by = by?.DisplayName });
        BroadcastRoster();
        return null;
    }

    private string? Remove(CallParticipant target, CallParticipant by)
    {
        if (target.Role == Data.RoomRoles.Owner || target == by)
            return CallErrors.NotAllowed;
        _rooms.Ban(Info.Id, target.Ticket, target.Id, includeUser: true);
        target.Connection?.Send(new { type = "removed", by = by.DisplayName });
        Leave(target, "removed");
        return null;
    }

    private string? Promote(CallParticipant target, CallParticipant by)
    {
        if (target.IsModerator)
            return null;
        target.Role = Data.RoomRoles.Administrator;
        target.Connection?.Send(new { type = "promoted", by = by.DisplayName, role = target.Role });
        SendLobby(target);
        BroadcastRoster();
        KeepRole(target, by, Data.RoomRoles.Administrator);
        return null;
    }

    /// <summary>An administrator goes back to participant (never the owner, never oneself).</summary>
    private string? Demote(CallParticipant target, CallParticipant by)
    {
        if (target.Role != Data.RoomRoles.Administrator || target == by)
            return CallErrors.NotAllowed;
        target.Role = CallEntry.ParticipantRole;
        target.Connection?.Send(new { type = "demoted", by = by.DisplayName, role = target.Role });
        BroadcastRoster();
        KeepRole(target, by, Data.RoomRoles.Member);
        return null;
    }

    /// <summary>Keeps an in-call promotion or demotion in the room's roles (what its settings page edits), audited in the
    /// name of the host who acted. Only a signed-in person's role can be kept, and only a host of the room's own ministry
    /// whose role is stored can change stored roles: a guest, or a change made by someone promoted only for this call,
    /// lasts for this meeting. Written off the work loop, one change after the other, so a slow database never holds
    /// up the call and a promotion followed by a demotion is stored in that order.</summary>
    private void KeepRole(CallParticipant target, CallParticipant by, string storedRole)
    {
        if (target.Ticket.UserId is not { } userId || by.Ticket.UserId is not { } actorId || by.Ticket.TenantId != Info.TenantId)
        {
            _logger.LogInformation("Call {Room}: the role of {Participant} is kept for this meeting only", Info.Code, target.Id);
            return;
        }
        var previous = _roleWrites;
        var name = target.DisplayName;
        var actorName = by.DisplayName;
        _roleWrites = Task.Run(async () =>
        {
            await previous;
            try
            {
                await using var scope = Services.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>()
                    .Set(new TenantScope(actorId, Info.TenantId, null, [], SuiteRole.Member, [], actorName));
                if (!await scope.ServiceProvider.GetRequiredService<RoomDirectory>().ChangeRoleAsync(Info.Card, userId, storedRole, name, CancellationToken.None))
                    _logger.LogInformation("Call {Room}: the role of {Participant} is unchanged in the room's roles", Info.Code, target.Id);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _logger.LogWarning(error, "Call {Room}: the new role of {Participant} was not stored; it holds for this meeting", Info.Code, target.Id);
            }
        });
    }

    private void End(CallParticipant by)
    {
        foreach (var participant in _participants.Values)
        {
            _rooms.Ban(Info.Id, participant.Ticket with { UserId = null, LobbyRequestId = null }, participant.Id, includeUser: false);
            participant.Connection?.Send(new { type = "ended", by = by.DisplayName });
        }
        _logger.LogInformation("Call {Room}: ended for all by {Participant}", Info.Code, by.Id);
        Close(ended: true);
    }

    private void LowerAllHands()
    {
        foreach (var participant in _participants.Values)
            participant.HandRaisedAt = null;
        BroadcastRoster();
    }

    /// <summary>After a (re)publication, keep a moderator's decisions: a muted microphone stays unforwarded.</summary>
    private void ApplyModeration(CallParticipant participant)
    {
        if (!participant.Mic)
            SetTracks(participant, MediaTrackSource.Microphone, false);
    }

    private void SetTracks(CallParticipant participant, MediaTrackSource source, bool enabled)
    {
        foreach (var track in _media.Tracks.Where(t => t.ParticipantId == participant.Id && t.Source == source))
            _media.SetTrackEnabled(track.TrackId, enabled);
    }

    // ---- media events, lobby, timer -------------------------------------------------------------------------------

    private void OnMediaEvent(MediaRoomEvent e) => Post(() => OnMedia(e));

    private void OnMedia(MediaRoomEvent e)
    {
        if (IsClosed)
            return;
        switch (e)
        {
            case MediaSubscriptionChanged changed when _participants.TryGetValue(changed.ParticipantId, out var subscriber):
                PushOffer(subscriber);
                break;
            case MediaTrackPublished or MediaTrackUnpublished:
                BroadcastRoster();
                break;
            case MediaSpeakerChanged speaker:
                _speaker = speaker.ParticipantId;
                Broadcast(new { type = "speaker", participantId = speaker.ParticipantId });
                break;
            case MediaParticipantConnected connected when _participants.TryGetValue(connected.ParticipantId, out var participant):
                participant.MediaFailed = false;
                BroadcastRoster();
                break;
            case MediaParticipantFailed failed when _participants.TryGetValue(failed.ParticipantId, out var participant):
                _logger.LogWarning("Call {Room}: media of {Participant} failed: {Reason}", Info.Code, failed.ParticipantId, failed.Reason);
                participant.MediaFailed = true;
                participant.Connection?.Send(new { type = "media-failed", reason = failed.Reason });
                BroadcastRoster();
                break;
        }
    }

    private void OnLobbyChanged(Guid roomId)
    {
        if (roomId == Info.Id)
            Post(() =>
            {
                foreach (var moderator in _participants.Values.Where(p => p.IsModerator))
                    SendLobby(moderator);
            });
    }

    private void Tick()
    {
        if (IsClosed)
            return;
        var now = _clock.GetUtcNow();
        foreach (var participant in _participants.Values.ToList())
        {
            if (participant.DisconnectedAt is { } since && now - since >= ReconnectGrace)
            {
                Leave(participant, "disconnected");
                continue;
            }
            if (participant.Connection is not { } connection || participant.Media is not { } media)
                continue;
            if (now - participant.LastTicketAt >= TicketRefresh)
            {
                participant.LastTicketAt = now;
                connection.Send(new { type = "ticket", ticket = RejoinTicket(participant) });
            }
            try
            {
                var stats = media.GetStats();
                participant.Quality = CallQuality.Level(stats);
                connection.Send(new
                {
                    type = "stats",
                    quality = participant.Quality,
                    rttMs = stats.RoundTripMilliseconds,
                    receiveLoss = stats.ReceiveLossFraction,
                    sendLoss = stats.SendLossFraction,
                    receivedKbps = stats.ReceivedBitsPerSecond / 1000,
                    sentKbps = stats.SentBitsPerSecond / 1000,
                });
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _logger.LogDebug(error, "Call {Room}: no stats for {Participant}", Info.Code, participant.Id);
            }
        }
        if (!IsClosed)
            Broadcast(new { type = "quality", levels = _participants.Values.ToDictionary(p => p.Id, p => p.Quality) });
    }

    // ---- sending --------------------------------------------------------------------------------------------------

    private void PushOffer(CallParticipant participant)
    {
        if (participant.Media is not { } media || participant.Connection is not { } connection)
            return;
        var offer = media.TakeSubscriberOffer();
        if (offer is not null)
            connection.Send(new { type = "subscribe-offer", sdp = offer });
    }

    private string RejoinTicket(CallParticipant participant) =>
        _tickets.Issue(participant.Ticket with { ParticipantId = participant.Id });

    private object Switches() => new { selfUnmute = MayUnmute, screenShare = MayShareScreen, chat = MayChat };

    private void SendLobby(CallParticipant moderator) =>
        moderator.Connection?.Send(new
        {
            type = "lobby",
            waiting = _lobby.Waiting(Info.Id).Select(r => new { id = r.Id, name = r.DisplayName, guest = r.UserId is null }).ToList(),
        });

    private void BroadcastRoster()
    {
        var tracks = _media.Tracks;
        var roster = new
        {
            type = "roster",
            speaker = _speaker,
            switches = Switches(),
            participants = _participants.Values.OrderBy(p => p.JoinedAt).Select(p => new
            {
                id = p.Id,
                name = p.DisplayName,
                role = p.Role,
                guest = p.IsGuest,
                mic = p.Mic,
                camera = p.Camera,
                screen = p.Screen,
                hand = p.HandRaisedAt is not null,
                handRaisedAt = p.HandRaisedAt,
                quality = p.Quality,
                state = p.State,
                tracks = tracks.Where(t => t.ParticipantId == p.Id)
                    .Select(t => new { id = t.TrackId, kind = t.Kind, source = SourceName(t.Source), enabled = t.Enabled, layers = t.LayerCount }).ToList(),
            }).ToList(),
        };
        Broadcast(roster);
    }

    private void Broadcast(object message)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        foreach (var participant in _participants.Values)
            participant.Connection?.SendRaw(bytes);
    }
}

/// <summary>A three-level connection quality from the SFU's view of one participant (what the indicator shows).</summary>
internal static class CallQuality
{
    public static string Level(MediaParticipantStats stats)
    {
        var loss = Math.Max(stats.ReceiveLossFraction, stats.SendLossFraction);
        var rtt = stats.RoundTripMilliseconds ?? 0;
        if (loss >= 0.10 || rtt >= 500)
            return "poor";
        if (loss >= 0.03 || rtt >= 250)
            return "fair";
        return "good";
    }
}
