namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// Splits the DTLS exporter output (label "EXTRACTOR-dtls_srtp", RFC 5764 §4.2) into the two directions:
/// client_write_key | server_write_key | client_write_salt | server_write_salt.
/// </summary>
internal static class SrtpKeyingMaterial
{
    public static int Length(SrtpProfile profile) => 2 * (SrtpProfiles.MasterKeyLength + SrtpProfiles.MasterSaltLength(profile));

    /// <summary>
    /// Creates the outbound (our write keys) and inbound (the peer's write keys) contexts.
    /// <paramref name="isDtlsServer"/>: the SFU is the DTLS server, so it writes with the server keys.
    /// </summary>
    public static void CreateContexts(
        SrtpProfile profile, ReadOnlySpan<byte> material, bool isDtlsServer, out SrtpContext outbound, out SrtpContext inbound)
    {
        if (material.Length != Length(profile))
        {
            throw new ArgumentException($"{profile} needs {Length(profile)} bytes of keying material.", nameof(material));
        }

        int keyLength = SrtpProfiles.MasterKeyLength;
        int saltLength = SrtpProfiles.MasterSaltLength(profile);
        ReadOnlySpan<byte> clientKey = material[..keyLength];
        ReadOnlySpan<byte> serverKey = material.Slice(keyLength, keyLength);
        ReadOnlySpan<byte> clientSalt = material.Slice(2 * keyLength, saltLength);
        ReadOnlySpan<byte> serverSalt = material.Slice((2 * keyLength) + saltLength, saltLength);

        outbound = isDtlsServer ? SrtpContext.Create(profile, serverKey, serverSalt) : SrtpContext.Create(profile, clientKey, clientSalt);
        inbound = isDtlsServer ? SrtpContext.Create(profile, clientKey, clientSalt) : SrtpContext.Create(profile, serverKey, serverSalt);
    }
}
