namespace Suite.Meetings.Media.Stun;

/// <summary>What the ICE-lite responder did with a datagram classified as STUN.</summary>
internal enum IceBindingOutcome : byte
{
    /// <summary>Authenticated Binding request; a success response was written.</summary>
    Success = 0,

    /// <summary>Not a valid STUN message: dropped silently.</summary>
    Malformed,

    /// <summary>Valid STUN, but not a Binding request (a response, an indication, another method): ignored.</summary>
    NotBindingRequest,

    /// <summary>FINGERPRINT missing or wrong (ICE requires it): dropped silently.</summary>
    BadFingerprint,

    /// <summary>USERNAME, MESSAGE-INTEGRITY or PRIORITY missing: a 400 response was written.</summary>
    BadRequest,

    /// <summary>USERNAME not ours or MESSAGE-INTEGRITY wrong: a 401 response was written.</summary>
    Unauthorized,

    /// <summary>The peer claims the controlled role too; a lite agent cannot take control: a 487 response was written.</summary>
    RoleConflict,

    /// <summary>The response did not fit the buffer, or the remote address cannot be encoded: nothing written.</summary>
    ResponseFailed,
}

/// <summary>The facts of an authenticated Binding request that the ICE agent acts on.</summary>
internal readonly ref struct IceBindingRequest
{
    public IceBindingRequest(ReadOnlySpan<byte> remoteUfrag, uint priority, bool useCandidate, ulong tieBreaker)
    {
        RemoteUfrag = remoteUfrag;
        Priority = priority;
        UseCandidate = useCandidate;
        TieBreaker = tieBreaker;
    }

    public ReadOnlySpan<byte> RemoteUfrag { get; }

    public uint Priority { get; }

    /// <summary>The controlling agent nominates this candidate pair.</summary>
    public bool UseCandidate { get; }

    /// <summary>ICE-CONTROLLING tie-breaker (0 when absent).</summary>
    public ulong TieBreaker { get; }
}
