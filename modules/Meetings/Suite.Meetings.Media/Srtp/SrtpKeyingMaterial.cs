namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// Splits the DTLS exporter output (label "EXTRACTOR-dtls_srtp", RFC 5764 §4.2) into the two directions:
/// client_write_key | server_write_key | client_write_salt | server_write_salt.
/// </summary>
internal static class SrtpKeyingMaterial
{
    public static int Length(SrtpProfile profile) => 2 * (SrtpProfiles.MasterKeyLength + SrtpProfiles.MasterSaltLength(profile));

    /// <summary>
    /// Splits the material into our write keys (<paramref name="local"/>) and the peer's (<paramref name="remote"/>).
    /// <paramref name="isDtlsServer"/>: the SFU is the DTLS server, so it writes with the server keys.
    /// </summary>
    public static void Split(
        SrtpProfile profile, ReadOnlySpan<byte> material, bool isDtlsServer, out SrtpMasterKey local, out SrtpMasterKey remote)
    {
        if (material.Length != Length(profile))
        {
            throw new ArgumentException($"{profile} needs {Length(profile)} bytes of keying material.", nameof(material));
        }

        int keyLength = SrtpProfiles.MasterKeyLength;
        int saltLength = SrtpProfiles.MasterSaltLength(profile);
        var client = new SrtpMasterKey(
            profile, material[..keyLength].ToArray(), material.Slice(2 * keyLength, saltLength).ToArray());
        var server = new SrtpMasterKey(
            profile, material.Slice(keyLength, keyLength).ToArray(), material.Slice((2 * keyLength) + saltLength, saltLength).ToArray());
        local = isDtlsServer ? server : client;
        remote = isDtlsServer ? client : server;
    }

    /// <summary>Creates the outbound (our write keys) and inbound (the peer's write keys) contexts.</summary>
    public static void CreateContexts(
        SrtpProfile profile, ReadOnlySpan<byte> material, bool isDtlsServer, out SrtpContext outbound, out SrtpContext inbound)
    {
        Split(profile, material, isDtlsServer, out SrtpMasterKey local, out SrtpMasterKey remote);
        outbound = local.CreateContext();
        inbound = remote.CreateContext();
    }
}

/// <summary>The master key and salt one side writes with, for one SRTP profile.</summary>
internal sealed class SrtpMasterKey
{
    public SrtpMasterKey(SrtpProfile profile, byte[] key, byte[] salt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(salt);
        if (key.Length != SrtpProfiles.MasterKeyLength || salt.Length != SrtpProfiles.MasterSaltLength(profile))
        {
            throw new ArgumentException($"{profile} takes a {SrtpProfiles.MasterKeyLength}-byte key and a {SrtpProfiles.MasterSaltLength(profile)}-byte salt.");
        }

        Profile = profile;
        Key = key;
        Salt = salt;
    }

    public SrtpProfile Profile { get; }

    public byte[] Key { get; }

    public byte[] Salt { get; }

    public SrtpContext CreateContext(int maxStreams = SrtpContext.DefaultMaxStreams) =>
        SrtpContext.Create(Profile, Key, Salt, maxStreams);
}
