namespace Suite.Meetings.Media.Tests.RealPeer;

/// <summary>A fact that needs the Debian Chromium package; reported as skipped (not passed) where it is missing.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"{ChromiumPath} is not installed";
        }
    }
}
