using Microsoft.Extensions.Configuration;
using Suite.Kernel.Settings;
using Suite.Kernel.Tests.Support;

namespace Suite.Kernel.Tests.Settings;

public sealed class SettingResolutionTests
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private static readonly Guid Department = Guid.NewGuid();
    private static readonly Guid User = Guid.NewGuid();
    private static readonly SettingTarget Target = new(Tenant, Department, User);

    private static readonly SettingDefinition MaxParticipants =
        Define.Int("meetings", "meetings.max-participants", 50, SettingScopes.All, "Max", minimum: 2, maximum: 500).Definition;

    private static readonly IConfiguration Configured =
        TestConfiguration.With(("Suite:Settings:meetings.max-participants", "60"));

    private static List<StoredSettingValue> EveryScope(string name = "meetings.max-participants") =>
    [
        new(name, SettingScope.Global, null, "70"),
        new(name, SettingScope.Tenant, Tenant, "80"),
        new(name, SettingScope.Department, Department, "90"),
        new(name, SettingScope.User, User, "100"),
    ];

    [Theory]
    [InlineData(4, "100", SettingSource.User)]
    [InlineData(3, "90", SettingSource.Department)]
    [InlineData(2, "80", SettingSource.Tenant)]
    [InlineData(1, "70", SettingSource.Global)]
    [InlineData(0, "60", SettingSource.Configuration)]
    public void The_most_specific_stored_value_wins_down_the_chain(int scopesStored, string expected, SettingSource source)
    {
        var stored = EveryScope().Take(scopesStored);

        var resolved = SettingResolution.Resolve(MaxParticipants, Target, stored, Configured);

        Assert.Equal(expected, resolved.Value);
        Assert.Equal(source, resolved.Source);
        Assert.Same(MaxParticipants, resolved.Definition);
    }

    [Fact]
    public void Without_stored_or_configured_value_the_default_applies()
    {
        var resolved = SettingResolution.Resolve(MaxParticipants, Target, [], TestConfiguration.Empty());

        Assert.Equal("50", resolved.Value);
        Assert.Equal(SettingSource.Default, resolved.Source);
    }

    [Fact]
    public void The_stored_order_does_not_matter()
    {
        var stored = EveryScope();
        stored.Reverse();

        var resolved = SettingResolution.Resolve(MaxParticipants, Target, stored, Configured);

        Assert.Equal(("100", SettingSource.User), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void Values_of_other_settings_are_ignored()
    {
        var resolved = SettingResolution.Resolve(MaxParticipants, Target, EveryScope("meetings.other"), TestConfiguration.Empty());

        Assert.Equal(SettingSource.Default, resolved.Source);
    }

    [Fact]
    public void Values_stored_for_another_user_department_or_ministry_are_ignored()
    {
        var stored = new List<StoredSettingValue>
        {
            new(MaxParticipants.Name, SettingScope.User, Guid.NewGuid(), "100"),
            new(MaxParticipants.Name, SettingScope.Department, Guid.NewGuid(), "90"),
            new(MaxParticipants.Name, SettingScope.Tenant, Guid.NewGuid(), "80"),
            new(MaxParticipants.Name, SettingScope.Global, null, "70"),
        };

        var resolved = SettingResolution.Resolve(MaxParticipants, Target, stored, Configured);

        Assert.Equal(("70", SettingSource.Global), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void A_target_without_user_skips_user_values()
    {
        var resolved = SettingResolution.Resolve(MaxParticipants, new SettingTarget(Tenant, Department, null), EveryScope(), Configured);

        Assert.Equal(("90", SettingSource.Department), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void A_target_without_ministry_sees_only_global_values()
    {
        var resolved = SettingResolution.Resolve(MaxParticipants, new SettingTarget(null, null, null), EveryScope(), Configured);

        Assert.Equal(("70", SettingSource.Global), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void A_value_stored_at_a_scope_the_definition_does_not_allow_is_ignored()
    {
        var tenantOnly = MaxParticipants with { Scopes = SettingScopes.Global | SettingScopes.Tenant };

        var resolved = SettingResolution.Resolve(tenantOnly, Target, EveryScope(), Configured);

        Assert.Equal(("80", SettingSource.Tenant), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void A_global_only_setting_ignores_every_narrower_value()
    {
        var globalOnly = MaxParticipants with { Scopes = SettingScopes.Global };

        var resolved = SettingResolution.Resolve(globalOnly, Target, EveryScope(), Configured);

        Assert.Equal(("70", SettingSource.Global), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void A_setting_that_allows_no_stored_scope_comes_from_configuration()
    {
        var configurationOnly = MaxParticipants with { Scopes = SettingScopes.None };

        var resolved = SettingResolution.Resolve(configurationOnly, Target, EveryScope(), Configured);

        Assert.Equal(("60", SettingSource.Configuration), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void An_invalid_stored_value_is_ignored_and_the_next_scope_applies()
    {
        var stored = new List<StoredSettingValue>
        {
            new(MaxParticipants.Name, SettingScope.User, User, "lots"),
            new(MaxParticipants.Name, SettingScope.Department, Department, "1000"),
            new(MaxParticipants.Name, SettingScope.Tenant, Tenant, "1"),
            new(MaxParticipants.Name, SettingScope.Global, null, "70"),
        };

        var resolved = SettingResolution.Resolve(MaxParticipants, Target, stored, Configured);

        Assert.Equal(("70", SettingSource.Global), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void A_null_stored_value_is_ignored()
    {
        var stored = new List<StoredSettingValue>
        {
            new(MaxParticipants.Name, SettingScope.User, User, null),
            new(MaxParticipants.Name, SettingScope.Tenant, Tenant, "80"),
        };

        var resolved = SettingResolution.Resolve(MaxParticipants, Target, stored, Configured);

        Assert.Equal(("80", SettingSource.Tenant), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void An_invalid_configured_value_falls_back_to_the_default()
    {
        var resolved = SettingResolution.Resolve(
            MaxParticipants, Target, [], TestConfiguration.With(("Suite:Settings:meetings.max-participants", "9999")));

        Assert.Equal(("50", SettingSource.Default), (resolved.Value, resolved.Source));
    }

    /// <summary>An empty value means "unset" (Validate accepts it for that reason, and the store deletes rather than
    /// writes it): an empty configuration entry must not be handed to an int setting as its value.</summary>
    [Fact]
    public void An_empty_configured_value_counts_as_unset()
    {
        var resolved = SettingResolution.Resolve(
            MaxParticipants, Target, [], TestConfiguration.With(("Suite:Settings:meetings.max-participants", "")));

        Assert.Equal(("50", SettingSource.Default), (resolved.Value, resolved.Source));
        Assert.Equal(50, SettingResolution.Convert<int>(resolved.Value));
    }

    [Fact]
    public void An_enum_value_outside_the_allowed_list_is_ignored()
    {
        var theme = Define.Enum("platform", "platform.theme", "dsfr", ["dsfr", "neutral"], SettingScopes.AllButUser, "Theme").Definition;
        var stored = new List<StoredSettingValue>
        {
            new(theme.Name, SettingScope.Department, Department, "purple"),
            new(theme.Name, SettingScope.Tenant, Tenant, "neutral"),
        };

        var resolved = SettingResolution.Resolve(theme, Target, stored, TestConfiguration.Empty());

        Assert.Equal(("neutral", SettingSource.Tenant), (resolved.Value, resolved.Source));
    }

    [Fact]
    public void The_configuration_key_is_under_suite_settings()
    {
        Assert.Equal("Suite:Settings:meetings.max-participants", SettingResolution.ConfigurationKey("meetings.max-participants"));
    }

    [Fact]
    public void Resolved_raw_values_convert_to_their_types()
    {
        Assert.True(SettingResolution.Convert<bool>("true"));
        Assert.False(SettingResolution.Convert<bool>(null));
        Assert.Equal(-42, SettingResolution.Convert<int>("-42"));
        Assert.Equal(0, SettingResolution.Convert<int>(null));
        Assert.Equal("", SettingResolution.Convert<string>(null));
        Assert.Throws<NotSupportedException>(() => SettingResolution.Convert<double>("1"));
    }
}
