namespace Suite.Ui;

/// <summary>Marker for the shell's texts (Resources/ShellText.resx, French; ShellText.en.resx, English).</summary>
public sealed class ShellText;
