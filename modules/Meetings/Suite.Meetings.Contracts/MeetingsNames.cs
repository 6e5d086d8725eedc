using Suite.Kernel.Settings;

namespace Suite.Meetings.Contracts;

/// <summary>Who may enter a room without being let in.</summary>
public static class RoomAccessLevels
{
    /// <summary>Anyone with the link enters, guests included.</summary>
    public const string Public = "public";

    /// <summary>Signed-in people of the room's ministry enter; others wait in the lobby.</summary>
    public const string Trusted = "trusted";

    /// <summary>Only people invited to the room enter; others ask and wait.</summary>
    public const string Restricted = "restricted";

    public static readonly IReadOnlyList<string> All = [Public, Trusted, Restricted];
}

public static class MeetingsNames
{
    public const string ModuleId = "meetings";

    public static class Settings
    {
        /// <summary>A leaked link must not overload a room.</summary>
        public static readonly Setting<int> MaxParticipants = Define.Int(ModuleId, "meetings.max-participants", 100, SettingScopes.AllButUser,
            "Setting.MaxParticipants", minimum: 2, maximum: 1000, descriptionKey: "Setting.MaxParticipants.Help");

        public static readonly Setting<string> DefaultAccessLevel = Define.Enum(ModuleId, "meetings.default-access", RoomAccessLevels.Trusted,
            RoomAccessLevels.All, SettingScopes.AllButUser, "Setting.DefaultAccess");

        public static readonly Setting<bool> GuestsAllowed = Define.Bool(ModuleId, "meetings.guests-allowed", true, SettingScopes.AllButUser,
            "Setting.GuestsAllowed", "Setting.GuestsAllowed.Help");

        public static readonly Setting<int> LobbyWaitMinutes = Define.Int(ModuleId, "meetings.lobby-wait-minutes", 10, SettingScopes.Global | SettingScopes.Tenant,
            "Setting.LobbyWaitMinutes", minimum: 1, maximum: 120);

        /// <summary>An instant meeting nobody used for this long is closed by the idle-room job (named rooms are kept).</summary>
        public static readonly Setting<int> IdleRoomHours = Define.Int(ModuleId, "meetings.idle-room-hours", 24, SettingScopes.Global | SettingScopes.Tenant,
            "Setting.IdleRoomHours", minimum: 1, maximum: 24 * 90, descriptionKey: "Setting.IdleRoomHours.Help");

        /// <summary>The time zone in which the invitation form's date and time are read (an IANA name).</summary>
        public static readonly Setting<string> TimeZone = Define.String(ModuleId, "meetings.time-zone", "Europe/Paris", SettingScopes.AllButUser,
            "Setting.TimeZone", "Setting.TimeZone.Help");
    }
}
