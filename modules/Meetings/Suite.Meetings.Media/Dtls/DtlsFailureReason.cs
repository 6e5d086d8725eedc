namespace Suite.Meetings.Media.Dtls;

/// <summary>Why a DTLS-SRTP handshake did not produce keys. The transport removes the participant with this reason.</summary>
internal enum DtlsFailureReason : byte
{
    None = 0,

    /// <summary>No complete handshake within the time limit (peer gone, loss, or only garbage received).</summary>
    Timeout,

    /// <summary>The peer's certificate does not hash to the fingerprint its SDP announced.</summary>
    FingerprintMismatch,

    /// <summary>The peer sent no certificate, so it cannot be bound to its SDP.</summary>
    NoClientCertificate,

    /// <summary>The peer offered no SRTP protection profile we support, or no use_srtp extension at all.</summary>
    NoCommonSrtpProfile,

    /// <summary>The peer aborted with a fatal alert.</summary>
    PeerAlert,

    /// <summary>The handshake broke the protocol (bad message, bad signature, no common cipher suite, …).</summary>
    ProtocolError,

    /// <summary>The handshake was cancelled because the session was closed.</summary>
    Closed,

    /// <summary>The handshake worker pool was full; the handshake was not started.</summary>
    Overloaded,
}
