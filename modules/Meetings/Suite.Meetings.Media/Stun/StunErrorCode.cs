namespace Suite.Meetings.Media.Stun;

/// <summary>ERROR-CODE value encoding (RFC 8489 §14.8) and the codes an ICE-lite server answers with.</summary>
internal static class StunErrorCode
{
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int UnknownAttribute = 420;
    public const int RoleConflict = 487;
    public const int ServerError = 500;

    public static bool TryDecode(ReadOnlySpan<byte> value, out int code, out ReadOnlySpan<byte> reasonPhrase)
    {
        code = 0;
        reasonPhrase = default;
        if (value.Length < 4)
        {
            return false;
        }

        int errorClass = value[2] & 0x07;
        int number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            return false;
        }

        code = (errorClass * 100) + number;
        reasonPhrase = value[4..];
        return true;
    }

    /// <summary>Writes the value; returns its length, or 0 when the code or the space is invalid.</summary>
    public static int Encode(int code, ReadOnlySpan<byte> reasonPhrase, Span<byte> value)
    {
        int length = 4 + reasonPhrase.Length;
        if (code is < 300 or > 699 || reasonPhrase.Length > StunConstants.MaxReasonPhraseLength || value.Length < length)
        {
            return 0;
        }

        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        reasonPhrase.CopyTo(value[4..]);
        return length;
    }

    /// <summary>RFC 8489 §14.8 recommended reason phrases (ASCII) for the codes used here.</summary>
    public static ReadOnlySpan<byte> DefaultReason(int code) => code switch
    {
        BadRequest => "Bad Request"u8,
        Unauthorized => "Unauthorized"u8,
        UnknownAttribute => "Unknown Attribute"u8,
        RoleConflict => "Role Conflict"u8,
        _ => "Server Error"u8,
    };
}
