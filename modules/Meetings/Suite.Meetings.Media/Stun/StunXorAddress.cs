using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Suite.Meetings.Media.Stun;

/// <summary>XOR-MAPPED-ADDRESS value encoding (RFC 8489 §14.2).</summary>
internal static class StunXorAddress
{
    public const int IPv4ValueLength = 8;
    public const int IPv6ValueLength = 20;

    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    public static bool TryDecode(
        ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        if (value.Length < 4 || transactionId.Length != StunConstants.TransactionIdLength)
        {
            return false;
        }

        int expected = value[1] switch
        {
            FamilyIPv4 => 4,
            FamilyIPv6 => 16,
            _ => -1,
        };
        if (expected < 0 || value.Length != 4 + expected || address.Length < expected)
        {
            return false;
        }

        Span<byte> mask = stackalloc byte[16];
        WriteMask(transactionId, mask);
        port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (StunConstants.MagicCookie >> 16));
        for (int i = 0; i < expected; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        addressLength = expected;
        return true;
    }

    /// <summary>Writes the attribute value for <paramref name="address"/> (4 or 16 bytes); returns the value length or 0.</summary>
    public static int Encode(ReadOnlySpan<byte> address, ushort port, ReadOnlySpan<byte> transactionId, Span<byte> value)
    {
        byte family = address.Length switch
        {
            4 => FamilyIPv4,
            16 => FamilyIPv6,
            _ => 0,
        };
        int length = 4 + address.Length;
        if (family == 0 || value.Length < length || transactionId.Length != StunConstants.TransactionIdLength)
        {
            return 0;
        }

        Span<byte> mask = stackalloc byte[16];
        WriteMask(transactionId, mask);
        value[0] = 0;
        value[1] = family;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(port ^ (StunConstants.MagicCookie >> 16)));
        for (int i = 0; i < address.Length; i++)
        {
            value[4 + i] = (byte)(address[i] ^ mask[i]);
        }

        return length;
    }

    /// <summary>Writes the bytes of an IP address as STUN carries them (IPv4-mapped IPv6 is unwrapped to IPv4).</summary>
    public static int WriteAddressBytes(IPAddress address, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return 0;
        }

        return address.TryWriteBytes(destination, out int written) ? written : 0;
    }

    private static void WriteMask(ReadOnlySpan<byte> transactionId, Span<byte> mask)
    {
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunConstants.MagicCookie);
        transactionId.CopyTo(mask[4..]);
    }
}
