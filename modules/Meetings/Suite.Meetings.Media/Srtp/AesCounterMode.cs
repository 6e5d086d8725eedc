using System.Security.Cryptography;

namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// AES in counter mode (NIST SP 800-38A §6.5) as SRTP uses it (RFC 3711 §4.1.1): keystream block i is
/// AES(key, IV + i mod 2^128). .NET has no CTR mode, so counter blocks are encrypted in batches through a cached
/// AES-ECB transform into reusable buffers: no allocation per packet. Not thread-safe.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    public const int BlockSize = 16;
    private const int BatchBlocks = 96;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[BatchBlocks * BlockSize];
    private readonly byte[] _keystream = new byte[BatchBlocks * BlockSize];

    public AesCounterMode(ReadOnlySpan<byte> key)
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
    }

    /// <summary>XORs the keystream that starts at <paramref name="iv"/> into <paramref name="data"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException("The counter block is 16 bytes.", nameof(iv));
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
        input[..BlockSize].CopyTo(_counters);
        _ecb.TransformBlock(_counters, 0, BlockSize, _keystream, 0);
        _keystream.AsSpan(0, BlockSize).CopyTo(output);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_keystream);
        _ecb.Dispose();
        _aes.Dispose();
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
