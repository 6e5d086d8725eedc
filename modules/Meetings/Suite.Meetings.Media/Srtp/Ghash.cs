using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// GHASH (NIST SP 800-38D §6.4) with carry-less multiplication (PCLMULQDQ). Used only to check a GCM tag before
/// handing the packet to <see cref="System.Security.Cryptography.AesGcm"/>, whose failure path throws: forged
/// packets are then rejected without an exception. Blocks are read big-endian, which is GCM's bit-reflected
/// representation; after the 256-bit product is shifted left once it is reduced modulo x^128 + x^7 + x^2 + x + 1.
/// </summary>
internal sealed class Ghash
{
    private readonly ulong _hHigh;
    private readonly ulong _hLow;

    public Ghash(ReadOnlySpan<byte> hashSubkey)
    {
        _hHigh = BinaryPrimitives.ReadUInt64BigEndian(hashSubkey);
        _hLow = BinaryPrimitives.ReadUInt64BigEndian(hashSubkey[8..]);
    }

    public static bool IsSupported => Pclmulqdq.IsSupported;

    /// <summary>GHASH_H(A || 0* || C || 0* || [len(A)]64 || [len(C)]64), written to 16 bytes.</summary>
    public void Compute(ReadOnlySpan<byte> aad, ReadOnlySpan<byte> ciphertext, Span<byte> output)
    {
        ulong high = 0;
        ulong low = 0;
        Absorb(aad, ref high, ref low);
        Absorb(ciphertext, ref high, ref low);
        high ^= (ulong)aad.Length * 8;
        low ^= (ulong)ciphertext.Length * 8;
        Multiply(ref high, ref low);
        BinaryPrimitives.WriteUInt64BigEndian(output, high);
        BinaryPrimitives.WriteUInt64BigEndian(output[8..], low);
    }

    private void Absorb(ReadOnlySpan<byte> data, ref ulong high, ref ulong low)
    {
        while (data.Length >= 16)
        {
            high ^= BinaryPrimitives.ReadUInt64BigEndian(data);
            low ^= BinaryPrimitives.ReadUInt64BigEndian(data[8..]);
            Multiply(ref high, ref low);
            data = data[16..];
        }

        if (!data.IsEmpty)
        {
            Span<byte> last = stackalloc byte[16];
            last.Clear();
            data.CopyTo(last);
            high ^= BinaryPrimitives.ReadUInt64BigEndian(last);
            low ^= BinaryPrimitives.ReadUInt64BigEndian(last[8..]);
            Multiply(ref high, ref low);
        }
    }

    private void Multiply(ref ulong xHigh, ref ulong xLow)
    {
        (ulong lowHigh, ulong lowLow) = CarrylessMultiply(xLow, _hLow);
        (ulong highHigh, ulong highLow) = CarrylessMultiply(xHigh, _hHigh);
        (ulong crossAHigh, ulong crossALow) = CarrylessMultiply(xHigh, _hLow);
        (ulong crossBHigh, ulong crossBLow) = CarrylessMultiply(xLow, _hHigh);

        // 256-bit product w3:w2:w1:w0, then one left shift for the reflected representation.
        ulong w0 = lowLow;
        ulong w1 = lowHigh ^ crossALow ^ crossBLow;
        ulong w2 = highLow ^ crossAHigh ^ crossBHigh;
        ulong w3 = highHigh;
        w3 = (w3 << 1) | (w2 >> 63);
        w2 = (w2 << 1) | (w1 >> 63);
        w1 = (w1 << 1) | (w0 >> 63);
        w0 <<= 1;

        // Fold the low half (coefficients of x^128..x^255) into the high half.
        w1 ^= (w0 << 63) ^ (w0 << 62) ^ (w0 << 57);
        xHigh = w3 ^ w1 ^ (w1 >> 1) ^ (w1 >> 2) ^ (w1 >> 7);
        xLow = w2 ^ w0
            ^ ((w0 >> 1) | (w1 << 63))
            ^ ((w0 >> 2) | (w1 << 62))
            ^ ((w0 >> 7) | (w1 << 57));
    }

    private static (ulong High, ulong Low) CarrylessMultiply(ulong a, ulong b)
    {
        Vector128<ulong> product = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(a), Vector128.CreateScalar(b), 0x00);
        return (product.GetElement(1), product.GetElement(0));
    }
}
