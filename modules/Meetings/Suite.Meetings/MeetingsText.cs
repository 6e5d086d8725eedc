namespace Suite.Meetings;

/// <summary>Marker for the module's texts (Resources/MeetingsText.resx in French, .en.resx in English).</summary>
public sealed class MeetingsText;
