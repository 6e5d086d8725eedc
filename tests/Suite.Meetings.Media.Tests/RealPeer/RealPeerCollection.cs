namespace Suite.Meetings.Media.Tests.RealPeer;

/// <summary>Real browsers encode video: run them one test at a time, or two cores starve every encoder at once.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealPeerCollection
{
    public const string Name = "Real peers";
}
