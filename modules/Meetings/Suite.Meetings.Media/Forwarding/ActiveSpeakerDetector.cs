namespace Suite.Meetings.Media.Forwarding;

/// <summary>
/// Dominant speaker from the audio-level header extension (RFC 6464: 0 is the loudest, 127 silence, in -dBov). Each
/// participant's level is smoothed; the dominant speaker changes only when another participant has been clearly louder
/// (by <see cref="Margin"/> dB) for <see cref="HoldIntervals"/> consecutive evaluations, so a cough does not steal the
/// stage. Thread-safe.
/// </summary>
internal sealed class ActiveSpeakerDetector
{
    public const double Margin = 6;
    public const int HoldIntervals = 3;
    private const double Silence = 127;
    private const double Smoothing = 0.3;

    private readonly Dictionary<string, double> _levels = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private string? _challenger;
    private int _challengerIntervals;

    public string? DominantSpeaker { get; private set; }

    public event Action<string?>? SpeakerChanged;

    /// <param name="level">The extension's level, 0 (loud) to 127 (silent); ignored when voice activity is false.</param>
    public void OnAudioLevel(string participant, int level, bool voiceActivity = true)
    {
        var value = voiceActivity ? Math.Clamp(level, 0, 127) : Silence;
        lock (_lock)
        {
            var previous = _levels.TryGetValue(participant, out var known) ? known : Silence;
            _levels[participant] = previous + Smoothing * (value - previous);
        }
    }

    public void Remove(string participant)
    {
        string? changed = null;
        var raise = false;
        lock (_lock)
        {
            _levels.Remove(participant);
            if (DominantSpeaker == participant)
            {
                DominantSpeaker = null;
                changed = null;
                raise = true;
            }
        }
        if (raise)
            SpeakerChanged?.Invoke(changed);
    }

    /// <summary>Called on a timer (e.g. every 300 ms); decays silent participants and maybe changes the dominant speaker.</summary>
    public void Evaluate()
    {
        string? changed = null;
        var raise = false;
        lock (_lock)
        {
            if (_levels.Count == 0)
                return;
            var loudest = _levels.MinBy(p => p.Value);
            var current = DominantSpeaker is { } d && _levels.TryGetValue(d, out var level) ? level : Silence;
            foreach (var key in _levels.Keys.ToList())
                _levels[key] += Smoothing * 0.5 * (Silence - _levels[key]);
            if (loudest.Value >= Silence - Margin || loudest.Key == DominantSpeaker)
            {
                _challenger = null;
                _challengerIntervals = 0;
                return;
            }
            if (loudest.Value > current - Margin && DominantSpeaker is not null)
                return;
            _challengerIntervals = _challenger == loudest.Key ? _challengerIntervals + 1 : 1;
            _challenger = loudest.Key;
            if (_challengerIntervals >= HoldIntervals || DominantSpeaker is null)
            {
                DominantSpeaker = loudest.Key;
                _challenger = null;
                _challengerIntervals = 0;
                changed = loudest.Key;
                raise = true;
            }
        }
        if (raise)
            SpeakerChanged?.Invoke(changed);
    }
}
