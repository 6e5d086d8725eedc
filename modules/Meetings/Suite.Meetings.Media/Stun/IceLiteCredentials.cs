using System.Text;

namespace Suite.Meetings.Media.Stun;

/// <summary>
/// The local ICE credentials of one participant's transport (our a=ice-ufrag / a=ice-pwd). Checks from the peer carry
/// USERNAME "localUfrag:remoteUfrag" and are signed with the local password (RFC 8445 §7.2.2).
/// </summary>
internal sealed class IceLiteCredentials : IDisposable
{
    public IceLiteCredentials(string localUfrag, string localPassword)
    {
        ArgumentException.ThrowIfNullOrEmpty(localUfrag);
        ArgumentException.ThrowIfNullOrEmpty(localPassword);
        LocalUfrag = Encoding.UTF8.GetBytes(localUfrag);
        Key = StunIntegrityKey.FromPassword(localPassword);
    }

    public byte[] LocalUfrag { get; }

    public StunIntegrityKey Key { get; }

    /// <summary>True when <paramref name="username"/> is "localUfrag:x" with a non-empty x.</summary>
    public bool MatchesUsername(ReadOnlySpan<byte> username, out ReadOnlySpan<byte> remoteUfrag)
    {
        remoteUfrag = default;
        int prefix = LocalUfrag.Length;
        if (username.Length <= prefix + 1 || !username.StartsWith(LocalUfrag) || username[prefix] != (byte)':')
        {
            return false;
        }

        remoteUfrag = username[(prefix + 1)..];
        return true;
    }

    public void Dispose() => Key.Dispose();
}
