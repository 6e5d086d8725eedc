namespace Suite.Platform;

/// <summary>Marker for the platform's texts (Resources/PlatformText.resx in French, .en.resx in English).</summary>
public sealed class PlatformText;
