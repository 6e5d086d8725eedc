namespace Suite.Meetings.Media.Sdp;

/// <summary>The media direction attribute of an m-section (RFC 8866 §6.7), from the point of view of its author.</summary>
internal enum SdpDirection : byte
{
    SendRecv = 0,
    SendOnly,
    RecvOnly,
    Inactive,
}

internal static class SdpDirections
{
    public static bool TryParse(string attributeName, out SdpDirection direction)
    {
        switch (attributeName)
        {
            case "sendrecv":
                direction = SdpDirection.SendRecv;
                return true;
            case "sendonly":
                direction = SdpDirection.SendOnly;
                return true;
            case "recvonly":
                direction = SdpDirection.RecvOnly;
                return true;
            case "inactive":
                direction = SdpDirection.Inactive;
                return true;
            default:
                direction = default;
                return false;
        }
    }

    public static string ToAttribute(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static bool Sends(this SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.SendOnly;
}

/// <summary>The DTLS role attribute (RFC 4145, RFC 5763): who opens the DTLS association.</summary>
internal enum SdpSetupRole : byte
{
    /// <summary>No a=setup seen.</summary>
    Unspecified = 0,
    ActPass,
    Active,
    Passive,
    HoldConn,
}

internal static class SdpSetupRoles
{
    public static bool TryParse(string value, out SdpSetupRole role)
    {
        role = value switch
        {
            "actpass" => SdpSetupRole.ActPass,
            "active" => SdpSetupRole.Active,
            "passive" => SdpSetupRole.Passive,
            "holdconn" => SdpSetupRole.HoldConn,
            _ => SdpSetupRole.Unspecified,
        };
        return role != SdpSetupRole.Unspecified;
    }

    public static string ToAttribute(this SdpSetupRole role) => role switch
    {
        SdpSetupRole.Active => "active",
        SdpSetupRole.Passive => "passive",
        SdpSetupRole.HoldConn => "holdconn",
        _ => "actpass",
    };
}
