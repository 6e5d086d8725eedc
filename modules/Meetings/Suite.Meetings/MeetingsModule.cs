using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Suite.Kernel.Modules;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;
using Suite.Meetings.Features.Call;
using Suite.Meetings.Features.Lobby;
using Suite.Meetings.Features.Rooms;

namespace Suite.Meetings;

/// <summary>Visio: rooms with short links and access levels, the lobby and its moderation. The in-call experience on
/// the embedded SFU (Suite.Meetings.Media) comes next.</summary>
public sealed class MeetingsModule : ISuiteModule
{
    public ModuleManifest Manifest { get; } = new(MeetingsNames.ModuleId, "Meetings.Title", []);

    public void Build(ModuleBuilder m)
    {
        m.UseDbContext<MeetingsDbContext>();
        m.AddPages(typeof(MeetingsModule).Assembly);
        m.UseResources<MeetingsText>();
        m.Navigation.Item("Meetings.Title", "/meetings", "video", descriptionKey: "Meetings.Description");
        m.Settings.Add(MeetingsNames.Settings.MaxParticipants).Add(MeetingsNames.Settings.DefaultAccessLevel)
            .Add(MeetingsNames.Settings.GuestsAllowed).Add(MeetingsNames.Settings.LobbyWaitMinutes);
        m.Services.AddScoped<RoomDirectory>();
        m.Services.AddSingleton<Lobby>();
        m.Services.AddScoped<LobbyNotifier>();
        AddHistoryAndInvitations(m);
        AddCall(m);
        m.Services.TryAddSingleton(TimeProvider.System);
    }

    /// <summary>Meeting history, email invitations (rate limited per inviting user) and the idle-room job (per ministry,
    /// only where Visio is on).</summary>
    private static void AddHistoryAndInvitations(ModuleBuilder m)
    {
        m.Settings.Add(MeetingsNames.Settings.IdleRoomHours).Add(MeetingsNames.Settings.TimeZone);
        m.Services.AddScoped<Suite.Meetings.Features.History.MeetingHistory>();
        m.Services.AddScoped<Suite.Meetings.Features.Invitations.RoomInvitations>();
        var invitationsPerHour = int.TryParse(m.Configuration["Suite:RateLimits:MeetingInvitationsPerHour"], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var perHour) && perHour > 0 ? perHour : 50;
        m.Services.AddSingleton(new Suite.Meetings.Features.Invitations.InvitationRateLimit(invitationsPerHour));
        m.Jobs.Recurring<Suite.Meetings.Jobs.CloseIdleRooms>(Suite.Meetings.Jobs.CloseIdleRooms.Interval, perTenant: true);
    }

    /// <summary>The in-call experience: the embedded SFU (started on first use, from <c>Meetings:Media:*</c>), the calls
    /// in progress, join tickets and the signalling endpoints.</summary>
    private static void AddCall(ModuleBuilder m)
    {
        var configuration = m.Configuration;
        m.Services.AddSingleton<Suite.Meetings.Media.IMediaServer>(_ => Suite.Meetings.Media.MediaServerFactory.Start(MediaServerConfiguration.Read(configuration)));
        m.Services.AddSingleton(new SignallingLimits(
            configuration.GetValue("Meetings:Signalling:MessagesPerSecond", 20), configuration.GetValue("Meetings:Signalling:Burst", 60)));
        m.Services.AddSingleton<CallTickets>();
        m.Services.AddSingleton<CallRooms>();
        m.Services.AddScoped<CallEntry>();
        m.MapEndpoints(CallEndpoints.Map);
    }
}
