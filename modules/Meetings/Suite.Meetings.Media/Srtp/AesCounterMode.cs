using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using AesNi = System.Runtime.Intrinsics.X86.Aes;
using Sse2 = System.Runtime.Intrinsics.X86.Sse2;

namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// AES in counter mode (NIST SP 800-38A §6.5) as SRTP uses it (RFC 3711 §4.1.1): keystream block i is
/// AES(key, IV + i mod 2^128). .NET has no CTR mode, so counter blocks are encrypted in batches through a cached
/// AES-ECB transform into reusable buffers: no allocation per packet. Where the CPU has AES instructions (AES-NI) and
/// the key is 128 bits (every SRTP profile here), the rounds run in managed code instead, four counter blocks at a
/// time and XORed straight into the packet: a packet costs no call into the native crypto library. Not thread-safe.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockSize = 16;
    private const int BatchBlocks = 96;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[BatchBlocks * BlockSize];
    private readonly byte[] _keystream = new byte[BatchBlocks * BlockSize];
    private readonly Vector128<byte>[]? _roundKeys;

    /// <param name="key">The AES key.</param>
    /// <param name="useAesInstructions">False forces the AES-ECB transform (tests compare both).</param>
    public AesCounterMode(ReadOnlySpan<byte> key, bool useAesInstructions = true)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException("AES keys are 16, 24 or 32 bytes.", nameof(key));
        }

        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        if (useAesInstructions && key.Length == 16 && AesNi.IsSupported)
        {
            _roundKeys = ExpandKey128(Vector128.Create(key));
        }
    }

    /// <summary>True when the AES instructions do the work (see the class summary).</summary>
    public bool UsesAesInstructions => _roundKeys is not null;

    /// <summary>XORs the keystream that starts at <paramref name="iv"/> into <paramref name="data"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException("The counter block is 16 bytes.", nameof(iv));
        }

        if (_roundKeys is not null)
        {
            ApplyWithAesInstructions(iv, data);
            return;
        }

        Span<byte> counter = stackalloc byte[BlockSize];
        iv.CopyTo(counter);
        while (!data.IsEmpty)
        {
            int blocks = Math.Min(BatchBlocks, (data.Length + BlockSize - 1) / BlockSize);
            for (int b = 0; b < blocks; b++)
            {
                counter.CopyTo(_counters.AsSpan(b * BlockSize));
                Increment(counter);
            }

            int bytes = blocks * BlockSize;
            _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
            int used = Math.Min(bytes, data.Length);
            Xor(data[..used], _keystream.AsSpan(0, used));
            data = data[used..];
        }
    }

    /// <summary>Encrypts one block (the raw AES function).</summary>
    public void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (_roundKeys is not null)
        {
            Encrypt(Vector128.Create(input[..BlockSize]), _roundKeys).CopyTo(output);
            return;
        }

        input[..BlockSize].CopyTo(_counters);
        _ecb.TransformBlock(_counters, 0, BlockSize, _keystream, 0);
        _keystream.AsSpan(0, BlockSize).CopyTo(output);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_keystream);
        if (_roundKeys is not null)
        {
            Array.Clear(_roundKeys);
        }

        _ecb.Dispose();
        _aes.Dispose();
    }

    private void ApplyWithAesInstructions(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        Vector128<byte>[] keys = _roundKeys!;
        ulong high = BinaryPrimitives.ReadUInt64BigEndian(iv);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        int offset = 0;
        for (; data.Length - offset >= 4 * BlockSize; offset += 4 * BlockSize)
        {
            Vector128<byte> k = keys[0];
            Vector128<byte> b0 = Counter(high, low) ^ k;
            Vector128<byte> b1 = Counter(high, low + 1, low) ^ k;
            Vector128<byte> b2 = Counter(high, low + 2, low) ^ k;
            Vector128<byte> b3 = Counter(high, low + 3, low) ^ k;
            for (int round = 1; round < 10; round++)
            {
                k = keys[round];
                b0 = AesNi.Encrypt(b0, k);
                b1 = AesNi.Encrypt(b1, k);
                b2 = AesNi.Encrypt(b2, k);
                b3 = AesNi.Encrypt(b3, k);
            }

            k = keys[10];
            Span<byte> chunk = data.Slice(offset, 4 * BlockSize);
            (AesNi.EncryptLast(b0, k) ^ Vector128.Create<byte>(chunk)).CopyTo(chunk);
            (AesNi.EncryptLast(b1, k) ^ Vector128.Create<byte>(chunk[16..])).CopyTo(chunk[16..]);
            (AesNi.EncryptLast(b2, k) ^ Vector128.Create<byte>(chunk[32..])).CopyTo(chunk[32..]);
            (AesNi.EncryptLast(b3, k) ^ Vector128.Create<byte>(chunk[48..])).CopyTo(chunk[48..]);
            (high, low) = Add(high, low, 4);
        }

        for (; data.Length - offset >= BlockSize; offset += BlockSize)
        {
            Span<byte> chunk = data.Slice(offset, BlockSize);
            (Encrypt(Counter(high, low), keys) ^ Vector128.Create<byte>(chunk)).CopyTo(chunk);
            (high, low) = Add(high, low, 1);
        }

        if (offset < data.Length)
        {
            Span<byte> last = stackalloc byte[BlockSize];
            Encrypt(Counter(high, low), keys).CopyTo(last);
            Xor(data[offset..], last[..(data.Length - offset)]);
        }
    }

    /// <summary>The big-endian counter block high ‖ low.</summary>
    private static Vector128<byte> Counter(ulong high, ulong low) =>
        Vector128.Create(BinaryPrimitives.ReverseEndianness(high), BinaryPrimitives.ReverseEndianness(low)).AsByte();

    /// <summary>Counter block base + n (mod 2^128), where <paramref name="low"/> = base.low + n.</summary>
    private static Vector128<byte> Counter(ulong high, ulong low, ulong baseLow) => Counter(low < baseLow ? high + 1 : high, low);

    private static (ulong High, ulong Low) Add(ulong high, ulong low, uint n)
    {
        ulong sum = low + n;
        return (sum < low ? high + 1 : high, sum);
    }

    private static Vector128<byte> Encrypt(Vector128<byte> block, Vector128<byte>[] keys)
    {
        block ^= keys[0];
        for (int round = 1; round < 10; round++)
        {
            block = AesNi.Encrypt(block, keys[round]);
        }

        return AesNi.EncryptLast(block, keys[10]);
    }

    /// <summary>The AES-128 key schedule (FIPS 197 §5.2) with AESKEYGENASSIST, whose round constant must be a literal.</summary>
    private static Vector128<byte>[] ExpandKey128(Vector128<byte> key)
    {
        var keys = new Vector128<byte>[11];
        keys[0] = key;
        keys[1] = NextRoundKey(keys[0], AesNi.KeygenAssist(keys[0], 0x01));
        keys[2] = NextRoundKey(keys[1], AesNi.KeygenAssist(keys[1], 0x02));
        keys[3] = NextRoundKey(keys[2], AesNi.KeygenAssist(keys[2], 0x04));
        keys[4] = NextRoundKey(keys[3], AesNi.KeygenAssist(keys[3], 0x08));
        keys[5] = NextRoundKey(keys[4], AesNi.KeygenAssist(keys[4], 0x10));
        keys[6] = NextRoundKey(keys[5], AesNi.KeygenAssist(keys[5], 0x20));
        keys[7] = NextRoundKey(keys[6], AesNi.KeygenAssist(keys[6], 0x40));
        keys[8] = NextRoundKey(keys[7], AesNi.KeygenAssist(keys[7], 0x80));
        keys[9] = NextRoundKey(keys[8], AesNi.KeygenAssist(keys[8], 0x1B));
        keys[10] = NextRoundKey(keys[9], AesNi.KeygenAssist(keys[9], 0x36));
        return keys;
    }

    private static Vector128<byte> NextRoundKey(Vector128<byte> previous, Vector128<byte> assist)
    {
        Vector128<byte> rotated = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        previous ^= Sse2.ShiftLeftLogical128BitLane(previous, 4);
        previous ^= Sse2.ShiftLeftLogical128BitLane(previous, 4);
        previous ^= Sse2.ShiftLeftLogical128BitLane(previous, 4);
        return previous ^ rotated;
    }

    private static void Increment(Span<byte> counter)
    {
        for (int i = BlockSize - 1; i >= 0; i--)
        {
            if (++counter[i] != 0)
            {
                return;
            }
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int width = System.Numerics.Vector<byte>.Count;
            for (; i <= data.Length - width; i += width)
            {
                var d = new System.Numerics.Vector<byte>(data[i..]);
                var k = new System.Numerics.Vector<byte>(keystream[i..]);
                (d ^ k).CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
