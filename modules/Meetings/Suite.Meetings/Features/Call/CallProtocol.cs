using System.Text.Json;
using System.Text.Json.Serialization;

namespace Suite.Meetings.Features.Call;

/// <summary>Error codes of the signalling protocol (docs/meetings-signalling.md): stable, for the browser to pick a text.</summary>
internal static class CallErrors
{
    public const string Malformed = "malformed";
    public const string UnknownType = "unknown-type";
    public const string Invalid = "invalid";
    public const string NotAllowed = "not-allowed";
    public const string RateLimited = "rate-limited";
    public const string NotJoined = "not-joined";
    public const string BadTicket = "bad-ticket";
    public const string RoomFull = "room-full";
    public const string Refused = "refused";
    public const string NegotiationFailed = "negotiation-failed";
    public const string MediaUnavailable = "media-unavailable";
    public const string UnknownParticipant = "unknown-participant";
}

/// <summary>One message from the browser: its type and the whole object, read field by field by the handlers.</summary>
internal readonly record struct CallMessage(string Type, JsonElement Body);

/// <summary>Strict reading of the browser's JSON: every field is checked for kind and size, nothing is bound by reflection.</summary>
internal static class CallProtocol
{
    public const int MaxMessageBytes = 256 * 1024;
    public const int MaxSdpLength = 128 * 1024;
    public const int MaxChatLength = 2000;
    public const int MaxDisplayNameLength = 80;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Emoji reactions a participant may send (a closed list: nothing free-form is broadcast as a reaction).</summary>
    public static readonly IReadOnlySet<string> Reactions = new HashSet<string>(StringComparer.Ordinal)
    {
        "👍", "👏", "😂", "❤️", "🎉", "😮", "🤔", "🙏",
    };

    /// <summary>Parses one text frame; null when it is not a JSON object with a string "type".</summary>
    public static CallMessage? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return null;
            var name = type.GetString();
            return string.IsNullOrEmpty(name) || name.Length > 40 ? null : new CallMessage(name, root.Clone());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool TryString(JsonElement body, string name, int maxLength, out string value, bool allowEmpty = false)
    {
        value = "";
        if (!body.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
            return false;
        value = element.GetString() ?? "";
        return value.Length <= maxLength && (allowEmpty || value.Length > 0);
    }

    public static bool TryBool(JsonElement body, string name, out bool value)
    {
        value = false;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return false;
        value = element.GetBoolean();
        return true;
    }

    /// <summary>An optional boolean: absent is fine (null), present but not a boolean is not.</summary>
    public static bool TryOptionalBool(JsonElement body, string name, out bool? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element))
            return true;
        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return false;
        value = element.GetBoolean();
        return true;
    }

    public static bool TryInt(JsonElement body, string name, int minimum, int maximum, out int value)
    {
        value = 0;
        return body.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number
            && element.TryGetInt32(out value) && value >= minimum && value <= maximum;
    }

    /// <summary>Display names: trimmed, no control characters, 1 to <see cref="MaxDisplayNameLength"/> characters.</summary>
    public static string? CleanDisplayName(string? name)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxDisplayNameLength || name.Any(char.IsControl))
            return null;
        return name;
    }

    /// <summary>The publish message's "sources": m-section id → what it carries.</summary>
    public static bool TrySources(JsonElement body, out Dictionary<string, Media.MediaTrackSource> sources)
    {
        sources = new Dictionary<string, Media.MediaTrackSource>(StringComparer.Ordinal);
        if (!body.TryGetProperty("sources", out var element))
            return true;
        if (element.ValueKind != JsonValueKind.Object)
            return false;
        foreach (var property in element.EnumerateObject())
        {
            if (sources.Count >= 16 || property.Name.Length is 0 or > 32 || property.Value.ValueKind != JsonValueKind.String)
                return false;
            Media.MediaTrackSource? source = property.Value.GetString() switch
            {
                "camera" => Media.MediaTrackSource.Camera,
                "microphone" => Media.MediaTrackSource.Microphone,
                "screen" => Media.MediaTrackSource.ScreenShare,
                "screen-audio" => Media.MediaTrackSource.ScreenShareAudio,
                _ => null,
            };
            if (source is not { } known)
                return false;
            sources[property.Name] = known;
        }
        return true;
    }

    public static string SourceName(Media.MediaTrackSource source) => source switch
    {
        Media.MediaTrackSource.Camera => "camera",
        Media.MediaTrackSource.Microphone => "microphone",
        Media.MediaTrackSource.ScreenShare => "screen",
        _ => "screen-audio",
    };
}
