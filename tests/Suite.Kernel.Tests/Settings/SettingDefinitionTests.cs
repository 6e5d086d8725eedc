using Suite.Kernel.Modules;
using Suite.Kernel.Settings;

namespace Suite.Kernel.Tests.Settings;

public sealed class SettingDefinitionTests
{
    private static SettingDefinition Of(SettingType type, IReadOnlyList<string>? allowed = null, int? minimum = null, int? maximum = null) =>
        new("meetings", "meetings.thing", type, null, SettingScopes.All, "Thing", AllowedValues: allowed, Minimum: minimum, Maximum: maximum);

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("True")]
    public void A_bool_accepts_true_and_false(string raw) => Assert.Null(Of(SettingType.Bool).Validate(raw));

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("on")]
    public void A_bool_refuses_anything_else(string raw) => Assert.Equal("Setting.Error.Bool", Of(SettingType.Bool).Validate(raw));

    [Theory]
    [InlineData("0")]
    [InlineData("-12")]
    [InlineData("2147483647")]
    public void An_int_accepts_integers(string raw) => Assert.Null(Of(SettingType.Int).Validate(raw));

    [Theory]
    [InlineData("1.5")]
    [InlineData("twelve")]
    [InlineData("2147483648")]
    [InlineData("1,000")]
    public void An_int_refuses_what_is_not_an_integer(string raw) => Assert.Equal("Setting.Error.Int", Of(SettingType.Int).Validate(raw));

    [Theory]
    [InlineData("1", null)]
    [InlineData("10", null)]
    [InlineData("0", "Setting.Error.Minimum")]
    [InlineData("-3", "Setting.Error.Minimum")]
    [InlineData("11", "Setting.Error.Maximum")]
    public void An_int_respects_its_bounds_inclusively(string raw, string? error) =>
        Assert.Equal(error, Of(SettingType.Int, minimum: 1, maximum: 10).Validate(raw));

    [Theory]
    [InlineData("dsfr", null)]
    [InlineData("neutral", null)]
    [InlineData("Neutral", "Setting.Error.Enum")]
    [InlineData("purple", "Setting.Error.Enum")]
    public void An_enum_accepts_only_its_allowed_values_with_exact_case(string raw, string? error) =>
        Assert.Equal(error, Of(SettingType.Enum, allowed: ["dsfr", "neutral"]).Validate(raw));

    [Fact]
    public void An_enum_without_allowed_values_accepts_nothing() =>
        Assert.Equal("Setting.Error.Enum", Of(SettingType.Enum).Validate("anything"));

    [Theory]
    [InlineData(SettingType.String)]
    [InlineData(SettingType.Secret)]
    public void A_string_accepts_up_to_4000_characters(SettingType type)
    {
        Assert.Null(Of(type).Validate(new string('x', 4000)));
        Assert.Equal("Setting.Error.TooLong", Of(type).Validate(new string('x', 4001)));
    }

    [Theory]
    [InlineData(SettingType.Bool)]
    [InlineData(SettingType.Int)]
    [InlineData(SettingType.Enum)]
    [InlineData(SettingType.String)]
    public void An_empty_value_means_unset_and_is_valid(SettingType type)
    {
        Assert.Null(Of(type, minimum: 1).Validate(null));
        Assert.Null(Of(type, minimum: 1).Validate(""));
    }

    [Fact]
    public void Define_feature_declares_a_bool_feature_settable_by_every_admin_level()
    {
        var recording = Define.Feature("meetings", "meetings.recording", byDefault: true, "Recording", "RecordingHelp");

        Assert.Equal("meetings.recording", recording.Name);
        Assert.Equal(
            new SettingDefinition("meetings", "meetings.recording", SettingType.Bool, "true", SettingScopes.AllButUser, "Recording", "RecordingHelp", Kind: SettingKind.Feature),
            recording.Definition);
        Assert.Equal("false", Define.Feature("meetings", "meetings.lobby", byDefault: false, "Lobby").Definition.DefaultValue);
    }

    [Fact]
    public void Define_bool_declares_a_plain_setting_with_its_scopes()
    {
        var definition = Define.Bool("meetings", "meetings.mute-on-join", byDefault: false, SettingScopes.User, "Mute").Definition;

        Assert.Equal((SettingType.Bool, "false", SettingScopes.User, SettingKind.Setting), (definition.Type, definition.DefaultValue, definition.Scopes, definition.Kind));
    }

    [Fact]
    public void Define_int_writes_the_default_in_invariant_culture_with_bounds()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("fr-FR") { NumberFormat = { NegativeSign = "−" } };
        try
        {
            var definition = Define.Int("meetings", "meetings.offset", -1500, SettingScopes.Tenant, "Offset", minimum: -2000, maximum: 10).Definition;

            Assert.Equal("-1500", definition.DefaultValue);
            Assert.Equal((SettingType.Int, -2000, 10), (definition.Type, definition.Minimum, definition.Maximum));
            Assert.Null(definition.Validate(definition.DefaultValue));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Define_enum_and_string_and_secret_carry_their_type()
    {
        var theme = Define.Enum("platform", "platform.theme", "dsfr", ["dsfr", "neutral"], SettingScopes.AllButUser, "Theme").Definition;
        var motto = Define.String("platform", "platform.motto", "Liberté", SettingScopes.Tenant, "Motto").Definition;
        var password = Define.Secret("platform", "platform.smtp-password", SettingScopes.Global, "Password").Definition;

        Assert.Equal((SettingType.Enum, "dsfr"), (theme.Type, theme.DefaultValue));
        Assert.Equal(["dsfr", "neutral"], theme.AllowedValues!);
        Assert.Equal((SettingType.String, "Liberté", SettingScopes.Tenant), (motto.Type, motto.DefaultValue, motto.Scopes));
        Assert.Equal((SettingType.Secret, (string?)null, SettingScopes.Global), (password.Type, password.DefaultValue, password.Scopes));
    }

    [Theory]
    [InlineData("max-participants")]
    [InlineData("meetings")]
    [InlineData("meetings.")]
    [InlineData("meetingsx.max")]
    [InlineData("chat.max")]
    [InlineData("meetings.MaxParticipants")]
    [InlineData("meetings.max_participants")]
    [InlineData("meetings.max participants")]
    public void The_setting_builder_refuses_names_not_qualified_by_the_module_in_kebab_case(string name)
    {
        var builder = new SettingBuilder("meetings");

        var error = Assert.Throws<ModuleConfigurationException>(() =>
            builder.Add(Define.Int("meetings", name, 10, SettingScopes.All, "Max")));

        Assert.Contains(name, error.Message);
        Assert.Empty(builder.Definitions);
    }

    [Theory]
    [InlineData("meetings.max.")]
    [InlineData("meetings..max")]
    [InlineData("meetings.-max")]
    [InlineData("meetings.max-")]
    [InlineData("meetings.max--size")]
    public void The_setting_builder_refuses_names_with_an_empty_kebab_segment(string name)
    {
        var builder = new SettingBuilder("meetings");

        Assert.Throws<ModuleConfigurationException>(() => builder.Add(Define.Int("meetings", name, 10, SettingScopes.All, "Max")));
    }

    [Theory]
    [InlineData("meetings.max-participants")]
    [InlineData("meetings.rooms.max-size")]
    [InlineData("meetings.h264")]
    public void The_setting_builder_accepts_qualified_kebab_names(string name)
    {
        var builder = new SettingBuilder("meetings");

        builder.Add(Define.Int("meetings", name, 10, SettingScopes.All, "Max"));

        Assert.Equal([name], builder.Definitions.Select(d => d.Name));
    }

    [Fact]
    public void The_setting_builder_refuses_a_definition_of_another_module()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() =>
            new SettingBuilder("meetings").Add(Define.Bool("chat", "chat.enabled", true, SettingScopes.All, "Chat")));

        Assert.Contains("'meetings'", error.Message);
        Assert.Contains("'chat'", error.Message);
    }

    [Fact]
    public void The_setting_builder_refuses_an_int_default_outside_its_bounds()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() =>
            new SettingBuilder("meetings").Add(Define.Int("meetings", "meetings.max", 600, SettingScopes.All, "Max", minimum: 2, maximum: 500)));

        Assert.Contains("meetings.max", error.Message);
    }

    [Fact]
    public void The_setting_builder_refuses_an_enum_default_that_is_not_allowed()
    {
        Assert.Throws<ModuleConfigurationException>(() =>
            new SettingBuilder("platform").Add(Define.Enum("platform", "platform.theme", "purple", ["dsfr", "neutral"], SettingScopes.All, "Theme")));
    }

    [Fact]
    public void The_setting_builder_refuses_a_bool_default_that_is_not_a_bool()
    {
        var definition = new SettingDefinition("meetings", "meetings.lobby", SettingType.Bool, "yes", SettingScopes.All, "Lobby");

        Assert.Throws<ModuleConfigurationException>(() => new SettingBuilder("meetings").Add(definition));
    }

    [Fact]
    public void A_feature_toggle_must_be_declared_as_a_feature()
    {
        var features = new FeatureBuilder(new SettingBuilder("meetings"));

        Assert.Throws<ModuleConfigurationException>(() =>
            features.Toggle(Define.Bool("meetings", "meetings.recording", true, SettingScopes.AllButUser, "Recording")));
    }

    [Fact]
    public void A_feature_toggle_adds_its_definition_to_the_module_settings()
    {
        var settings = new SettingBuilder("meetings");

        new FeatureBuilder(settings).Toggle(Define.Feature("meetings", "meetings.recording", false, "Recording"));

        var definition = Assert.Single(settings.Definitions);
        Assert.Equal(("meetings.recording", SettingKind.Feature), (definition.Name, definition.Kind));
    }
}
