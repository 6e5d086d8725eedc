namespace Suite.Meetings.Media.Transport;

/// <summary>Why a participant's transport session ended.</summary>
internal enum SessionCloseReason : byte
{
    /// <summary>Closed by the application (participant left or was removed).</summary>
    Closed = 0,

    /// <summary>No authenticated connectivity check within the consent timeout (RFC 7675), or never connected.</summary>
    ConsentExpired,

    /// <summary>The DTLS handshake failed; <see cref="ParticipantSession.CloseDetail"/> says how.</summary>
    DtlsFailed,

    /// <summary>The transport was shut down.</summary>
    TransportStopped,
}
