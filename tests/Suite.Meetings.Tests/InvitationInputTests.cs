using Suite.Meetings.Features.Invitations;

namespace Suite.Meetings.Tests;

/// <summary>What the invitation form accepts: addresses, date, time and duration, with a clear error for each.</summary>
public sealed class InvitationInputTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Addresses_are_split_on_commas_semicolons_and_lines_lowered_and_deduplicated()
    {
        var addresses = InvitationParsing("Bob@Interieur.test, dora@interieur.test;\n<carla@culture.test>\r\nbob@interieur.test", out var invalid);
        Assert.Null(invalid);
        Assert.Equal(["bob@interieur.test", "dora@interieur.test", "carla@culture.test"], addresses);
    }

    [Theory]
    [InlineData("pas-une-adresse")]
    [InlineData("bob@localhost")]
    [InlineData("bob@@interieur.test")]
    public void The_first_wrong_address_is_named(string wrong)
    {
        var addresses = InvitationParsing("ok@interieur.test, " + wrong, out var invalid);
        Assert.Empty(addresses);
        Assert.Equal(wrong, invalid);
    }

    [Fact]
    public void No_date_and_no_time_is_a_permanent_invitation()
    {
        var errors = new Dictionary<string, string>();
        Assert.Equal((null, null), RoomInvitations.ParseSlot(new InvitationRequest("a@b.fr", "", " ", ""), Paris, Now, errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void A_date_and_time_are_read_in_the_ministry_time_zone_with_its_summer_time()
    {
        var errors = new Dictionary<string, string>();
        var (winterStart, winterEnd) = RoomInvitations.ParseSlot(new InvitationRequest("a@b.fr", "2026-12-01", "10:00", "45"), Paris, Now, errors);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), winterStart!.Value.ToUniversalTime());
        Assert.Equal(TimeSpan.FromMinutes(45), winterEnd - winterStart);
        var (summerStart, summerEnd) = RoomInvitations.ParseSlot(new InvitationRequest("a@b.fr", "2027-07-01", "10:00", ""), Paris, Now, errors);
        Assert.Equal(new DateTimeOffset(2027, 7, 1, 8, 0, 0, TimeSpan.Zero), summerStart!.Value.ToUniversalTime());
        Assert.Equal(TimeSpan.FromMinutes(60), summerEnd - summerStart);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("2026-13-01", "10:00", "", "Date", "Invite.Error.Date")]
    [InlineData("", "10:00", "", "Date", "Invite.Error.Date")]
    [InlineData("2026-12-01", "", "", "Time", "Invite.Error.Time")]
    [InlineData("2026-12-01", "25:00", "", "Time", "Invite.Error.Time")]
    [InlineData("2026-12-01", "10:00", "2", "Duration", "Invite.Error.Duration")]
    [InlineData("2026-12-01", "10:00", "-30", "Duration", "Invite.Error.Duration")]
    [InlineData("2026-11-01", "10:00", "", "Date", "Invite.Error.Past")]
    [InlineData("2027-03-28", "02:30", "", "Time", "Invite.Error.Time")]
    public void A_wrong_slot_names_its_field(string date, string time, string duration, string field, string key)
    {
        var errors = new Dictionary<string, string>();
        RoomInvitations.ParseSlot(new InvitationRequest("a@b.fr", date, time, duration), Paris, Now, errors);
        Assert.Equal(key, Assert.Contains(field, errors));
    }

    [Fact]
    public void The_rate_limit_takes_all_recipients_at_once_or_none()
    {
        using var limit = new InvitationRateLimit(perHour: 5);
        var alice = Guid.NewGuid();
        Assert.True(limit.TryTake(alice, 3));
        Assert.False(limit.TryTake(alice, 3));
        Assert.True(limit.TryTake(alice, 2));
        Assert.False(limit.TryTake(alice, 1));
        Assert.True(limit.TryTake(Guid.NewGuid(), 5));
        Assert.False(limit.TryTake(Guid.NewGuid(), 6));
    }

    private static IReadOnlyList<string> InvitationParsing(string text, out string? invalid) => RoomInvitations.ParseAddresses(text, out invalid);
}
