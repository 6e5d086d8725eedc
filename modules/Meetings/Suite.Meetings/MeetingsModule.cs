using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Suite.Kernel.Modules;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;
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
        m.Services.TryAddSingleton(TimeProvider.System);
    }
}
