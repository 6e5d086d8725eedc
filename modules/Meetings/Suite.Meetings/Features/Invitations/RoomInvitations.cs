using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Email;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;
using Suite.Meetings.Features.Rooms;

namespace Suite.Meetings.Features.Invitations;

/// <summary>What the invitation form sends: addresses (separated by commas, semicolons, spaces or lines), and
/// optionally a date ("yyyy-MM-dd"), a time ("HH:mm", in the ministry's time zone) and a duration in minutes.</summary>
internal sealed record InvitationRequest(string? Emails, string? Date, string? Time, string? DurationMinutes);

/// <param name="Sent">How many people were invited (0 when the form had errors).</param>
/// <param name="Errors">By field ("Emails", "Date", "Time", "Duration", "" for the whole form): text keys, "Key:argument".</param>
internal sealed record InvitationResult(int Sent, IReadOnlyDictionary<string, string> Errors);

internal sealed record PendingInvitation(string Email, DateTimeOffset InvitedAt, DateTimeOffset? StartsAt);

/// <summary>Per inviting user, how many people they may invite in a window: a leaked account must not turn the suite
/// into a mail cannon. In memory on each node (like the sign-in limit).</summary>
internal sealed class InvitationRateLimit(int perHour) : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter = PartitionedRateLimiter.Create<Guid, Guid>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perHour,
            Window = TimeSpan.FromHours(1),
            QueueLimit = 0,
        }));

    public int PerHour => perHour;

    /// <summary>Takes <paramref name="recipients"/> permits at once, or none.</summary>
    public bool TryTake(Guid userId, int recipients)
    {
        if (recipients > perHour)
            return false;
        using var lease = _limiter.AttemptAcquire(userId, recipients);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>
/// Invites people to a room by email, with an .ics calendar attachment, through the platform's email sender. An
/// invitation is kept per address: the first time a signed-in person whose account has that address opens the room's
/// link, they become a member of the room (and so enter it even when it is restricted). Only the room's owner and
/// administrators of its ministry invite.
/// </summary>
internal sealed class RoomInvitations(
    IDbContextFactory<MeetingsDbContext> contexts,
    IServiceScopeFactory scopes,
    RoomDirectory rooms,
    IEmailSender email,
    ISettingProvider settings,
    InvitationRateLimit rateLimit,
    ITenantContext me,
    TimeProvider clock,
    ILogger<RoomInvitations> logger)
{
    public const int MaxRecipients = 20;
    public const int MaxEmailLength = 256;

    public async Task<InvitationResult> InviteAsync(RoomCard room, InvitationRequest request, string roomUrl, string? inviterEmail, CancellationToken ct = default)
    {
        if (me.UserId is not { } userId || !await rooms.CanManageAsync(room, ct))
            return Failed("", "Room.Error.NotAllowed");
        var errors = new Dictionary<string, string>();
        var addresses = ParseAddresses(request.Emails, out var invalid);
        if (invalid is not null)
            errors["Emails"] = "Invite.Error.EmailInvalid:" + invalid;
        else if (addresses.Count == 0)
            errors["Emails"] = "Invite.Error.EmailsRequired";
        else if (addresses.Count > MaxRecipients)
            errors["Emails"] = "Invite.Error.TooMany:" + MaxRecipients.ToString(CultureInfo.InvariantCulture);

        var zone = await ZoneAsync(ct);
        var (start, end) = ParseSlot(request, zone, clock.GetUtcNow(), errors);
        if (errors.Count > 0)
            return new InvitationResult(0, errors);
        if (!rateLimit.TryTake(userId, addresses.Count))
        {
            logger.LogWarning("User {User} reached the invitation limit ({PerHour} per hour) on room {Room}", userId, rateLimit.PerHour, room.Id);
            return Failed("", "Invite.Error.RateLimited:" + rateLimit.PerHour.ToString(CultureInfo.InvariantCulture));
        }

        var options = await rooms.OptionsAsync(room, ct);
        var title = string.IsNullOrEmpty(options?.Name) ? "Visio " + room.Code : options.Name;
        var now = clock.GetUtcNow();
        var calendar = new IcsEvent(
            Uid: $"{room.Id:N}-{(start ?? DateTimeOffset.UnixEpoch).ToUnixTimeSeconds()}@suite.{MeetingsNames.ModuleId}",
            Stamp: now,
            Start: start,
            End: end,
            Summary: title,
            Description: $"Réunion Visio / Visio meeting: {roomUrl}",
            Url: roomUrl,
            OrganizerName: me.DisplayName,
            OrganizerEmail: IsEmail(inviterEmail) ? inviterEmail : null,
            Attendees: addresses);
        var ics = Encoding.UTF8.GetBytes(IcsCalendar.Write(calendar));
        var attachment = new EmailAttachment("invitation.ics", IcsCalendar.ContentType(calendar), ics);

        await using var db = await contexts.CreateDbContextAsync(ct);
        var existing = await db.RoomInvitations.Where(i => i.RoomId == room.Id && addresses.Contains(i.Email) && i.AcceptedAt == null).ToListAsync(ct);
        var sent = 0;
        foreach (var address in addresses)
        {
            try
            {
                await email.SendAsync(new EmailMessage(address, Subject(title, start, zone), Body(title, roomUrl, me.DisplayName, start, end, zone), Attachments: [attachment]), ct);
            }
            catch (Exception error) when (error is SmtpException or IOException or InvalidOperationException)
            {
                logger.LogError(error, "Invitation to room {Room} could not be sent to one address", room.Id);
                continue;
            }
            sent++;
            if (existing.FirstOrDefault(i => i.Email == address) is { } pending)
            {
                pending.InvitedAt = now;
                pending.InvitedById = userId;
                pending.StartsAt = start;
            }
            else
            {
                db.RoomInvitations.Add(new RoomInvitation { Id = Guid.NewGuid(), RoomId = room.Id, Email = address, InvitedById = userId, InvitedAt = now, StartsAt = start });
            }
        }
        if (sent > 0)
        {
            RoomAudit.Record(db, room.Id, me, now, "room.invited", null, string.Join(", ", addresses));
            await db.SaveChangesAsync(ct);
        }
        return sent == addresses.Count ? new InvitationResult(sent, new Dictionary<string, string>())
            : new InvitationResult(sent, new Dictionary<string, string> { [""] = "Invite.Error.SendFailed:" + (addresses.Count - sent).ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Invitations not yet used, for the room's owner and administrators (null for anyone else).</summary>
    public async Task<IReadOnlyList<PendingInvitation>?> PendingAsync(RoomCard room, CancellationToken ct = default)
    {
        if (!await rooms.CanManageAsync(room, ct))
            return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RoomInvitations.AsNoTracking().Where(i => i.RoomId == room.Id && i.AcceptedAt == null)
            .OrderBy(i => i.Email).Select(i => new PendingInvitation(i.Email, i.InvitedAt, i.StartsAt)).ToListAsync(ct);
    }

    /// <summary>When the signed-in visitor's account address was invited to this room, makes them a member of it (in
    /// the room's ministry, whichever ministry they belong to). Returns whether they are now a member.</summary>
    public async Task<bool> AcceptAsync(RoomCard room, string? accountEmail, CancellationToken ct = default)
    {
        if (me.UserId is not { } userId || !IsEmail(accountEmail))
            return false;
        var address = accountEmail!.Trim().ToLowerInvariant();
        await using var scope = RoomTenantScope.Open(scopes, room.TenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync(ct);
        var invitations = await db.RoomInvitations.Where(i => i.RoomId == room.Id && i.Email == address && i.AcceptedAt == null).ToListAsync(ct);
        if (invitations.Count == 0)
            return false;
        var now = clock.GetUtcNow();
        foreach (var invitation in invitations)
        {
            invitation.AcceptedAt = now;
            invitation.AcceptedById = userId;
        }
        if (!await db.RoomMembers.AnyAsync(m => m.RoomId == room.Id && m.UserId == userId, ct))
            db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = userId, Role = RoomRoles.Member, DisplayName = RoomAudit.Truncate(me.DisplayName ?? address, 200) });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Lower-case, distinct; <paramref name="invalid"/> is the first address that is not one.</summary>
    internal static IReadOnlyList<string> ParseAddresses(string? text, out string? invalid)
    {
        invalid = null;
        var addresses = new List<string>();
        foreach (var part in (text ?? "").Split([',', ';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = part.Trim('<', '>').ToLowerInvariant();
            if (!IsEmail(address))
            {
                invalid = part.Length > 60 ? part[..60] + "…" : part;
                return [];
            }
            if (!addresses.Contains(address))
                addresses.Add(address);
        }
        return addresses;
    }

    internal static bool IsEmail(string? value) =>
        value is { Length: > 0 and <= MaxEmailLength } && !value.Contains(' ') && MailAddress.TryCreate(value, out var address)
        && string.Equals(address.Address, value, StringComparison.OrdinalIgnoreCase) && address.Host.Contains('.', StringComparison.Ordinal);

    /// <summary>No date: a permanent invitation (no time in the calendar). A date needs a time; the meeting must not
    /// have started already; it lasts 5 minutes to 12 hours (60 by default).</summary>
    internal static (DateTimeOffset? Start, DateTimeOffset? End) ParseSlot(InvitationRequest request, TimeZoneInfo zone, DateTimeOffset now, Dictionary<string, string> errors)
    {
        var date = request.Date?.Trim() ?? "";
        var time = request.Time?.Trim() ?? "";
        var durationText = request.DurationMinutes?.Trim() ?? "";
        if (date.Length == 0 && time.Length == 0)
            return (null, null);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors["Date"] = "Invite.Error.Date";
            return (null, null);
        }
        if (!TimeOnly.TryParseExact(time, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var hour))
        {
            errors["Time"] = "Invite.Error.Time";
            return (null, null);
        }
        var minutes = 60;
        if (durationText.Length > 0 && (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes is < 5 or > 720))
        {
            errors["Duration"] = "Invite.Error.Duration";
            return (null, null);
        }
        var local = day.ToDateTime(hour, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            errors["Time"] = "Invite.Error.Time";
            return (null, null);
        }
        var start = new DateTimeOffset(local, zone.GetUtcOffset(local));
        if (start < now.AddMinutes(-5))
        {
            errors["Date"] = "Invite.Error.Past";
            return (null, null);
        }
        return (start, start.AddMinutes(minutes));
    }

    private async Task<TimeZoneInfo> ZoneAsync(CancellationToken ct)
    {
        var name = await settings.GetAsync(MeetingsNames.Settings.TimeZone, ct);
        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    private static string Subject(string title, DateTimeOffset? start, TimeZoneInfo zone) =>
        start is { } s ? $"Invitation : {title} ({Local(s, zone)})" : $"Invitation : {title}";

    private static string Body(string title, string url, string? inviter, DateTimeOffset? start, DateTimeOffset? end, TimeZoneInfo zone)
    {
        var who = string.IsNullOrEmpty(inviter) ? "" : inviter + " ";
        var when = start is { } s && end is { } e ? $"\r\nLe {Local(s, zone)} — {TimeZoneInfo.ConvertTime(e, zone):HH:mm} ({zone.Id})" : "";
        var whenEn = start is { } s2 && end is { } e2 ? $"\r\nOn {Local(s2, zone)} — {TimeZoneInfo.ConvertTime(e2, zone):HH:mm} ({zone.Id})" : "";
        return $"Bonjour,\r\n\r\n{who}vous invite à la réunion Visio « {title} ».{when}\r\nRejoindre : {url}\r\n\r\n" +
               $"Hello,\r\n\r\n{who}invites you to the Visio meeting “{title}”.{whenEn}\r\nJoin: {url}\r\n\r\n" +
               "L'invitation pour votre agenda est jointe (invitation.ics). / The calendar invitation is attached (invitation.ics).\r\n";
    }

    private static string Local(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static InvitationResult Failed(string field, string key) => new(0, new Dictionary<string, string> { [field] = key });
}
