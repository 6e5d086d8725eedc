using Suite.Kernel.Modules;
using Suite.Kernel.Tests.Support;

namespace Suite.Kernel.Tests.Modules;

public sealed class ModuleCatalogTests
{
    private static IReadOnlyList<string> Ids(IEnumerable<ISuiteModule> modules) => [.. modules.Select(m => m.Manifest.Id)];

    private static IReadOnlyList<string> Ids(ModuleCatalog catalog) => [.. catalog.Modules.Select(m => m.Manifest.Id)];

    private static void AssertBefore(IReadOnlyList<string> order, string first, string then) =>
        Assert.True(order.ToList().IndexOf(first) < order.ToList().IndexOf(then),
            $"'{first}' should come before '{then}' in [{string.Join(", ", order)}].");

    [Fact]
    public void Modules_are_ordered_after_what_they_require()
    {
        var (catalog, ordered) = ModuleCatalog.Create(
            [new TestModule("c", ["b"]), new TestModule("b", ["a"]), new TestModule("a")],
            TestConfiguration.Empty());

        Assert.Equal(["a", "b", "c"], Ids(ordered));
        Assert.Equal(["a", "b", "c"], Ids(catalog));
    }

    [Fact]
    public void A_diamond_puts_the_shared_requirement_first_and_the_dependant_last()
    {
        var (_, ordered) = ModuleCatalog.Create(
            [new TestModule("top", ["left", "right"]), new TestModule("right", ["base"]), new TestModule("left", ["base"]), new TestModule("base")],
            TestConfiguration.Empty());

        var order = Ids(ordered);
        Assert.Equal(4, order.Count);
        Assert.Equal("base", order[0]);
        Assert.Equal("top", order[^1]);
        AssertBefore(order, "base", "left");
        AssertBefore(order, "base", "right");
        AssertBefore(order, "left", "top");
        AssertBefore(order, "right", "top");
    }

    [Fact]
    public void Modules_without_requirements_keep_the_order_the_host_lists_them_in()
    {
        var (_, ordered) = ModuleCatalog.Create(
            [new TestModule("platform", alwaysOn: true), new TestModule("zeta"), new TestModule("alpha"), new TestModule("mid")],
            TestConfiguration.Empty());

        Assert.Equal(["platform", "zeta", "alpha", "mid"], Ids(ordered));
    }

    [Fact]
    public void A_module_listed_before_several_requirements_comes_after_all_of_them()
    {
        var (_, ordered) = ModuleCatalog.Create(
            [new TestModule("docs", ["chat", "platform", "mail"]), new TestModule("mail", ["platform"]), new TestModule("chat", ["platform"]), new TestModule("platform", alwaysOn: true), new TestModule("meetings", ["chat"])],
            TestConfiguration.Empty());

        var order = Ids(ordered);
        Assert.Equal(5, order.Count);
        Assert.Equal(5, order.Distinct().Count());
        AssertBefore(order, "platform", "chat");
        AssertBefore(order, "platform", "mail");
        AssertBefore(order, "chat", "docs");
        AssertBefore(order, "mail", "docs");
        AssertBefore(order, "chat", "meetings");
    }

    [Fact]
    public void Two_modules_with_the_same_id_are_refused()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => ModuleCatalog.Create(
            [new TestModule("chat"), new TestModule("mail"), new TestModule("chat")],
            TestConfiguration.Empty()));

        Assert.Contains("'chat'", error.Message);
    }

    [Fact]
    public void An_unknown_requirement_is_refused_with_a_message_naming_both_modules()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => ModuleCatalog.Create(
            [new TestModule("platform", alwaysOn: true), new TestModule("meetings", ["platform", "chat"])],
            TestConfiguration.Empty()));

        Assert.Contains("'meetings'", error.Message);
        Assert.Contains("'chat'", error.Message);
    }

    [Fact]
    public void A_cycle_of_two_modules_is_refused_with_its_path()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => ModuleCatalog.Create(
            [new TestModule("a", ["b"]), new TestModule("b", ["a"])],
            TestConfiguration.Empty()));

        Assert.Contains("a → b → a", error.Message);
    }

    [Fact]
    public void A_longer_cycle_reached_through_another_module_is_refused_with_its_path()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => ModuleCatalog.Create(
            [new TestModule("entry", ["a"]), new TestModule("a", ["b"]), new TestModule("b", ["c"]), new TestModule("c", ["a"])],
            TestConfiguration.Empty()));

        Assert.Contains("a → b → c → a", error.Message);
    }

    [Fact]
    public void A_module_requiring_itself_is_refused()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => ModuleCatalog.Create(
            [new TestModule("selfish", ["selfish"])],
            TestConfiguration.Empty()));

        Assert.Contains("selfish → selfish", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("Meetings")]
    [InlineData("my-module")]
    [InlineData("my_module")]
    [InlineData("chat.v2")]
    [InlineData("two words")]
    [InlineData("café")]
    public void An_id_that_is_not_lowercase_letters_and_digits_is_refused(string id)
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => ModuleCatalog.Create(
            [new TestModule(id)],
            TestConfiguration.Empty()));

        Assert.Contains($"'{id}'", error.Message);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("chat2")]
    [InlineData("x")]
    public void A_lowercase_id_with_digits_is_accepted(string id)
    {
        var (catalog, _) = ModuleCatalog.Create([new TestModule(id)], TestConfiguration.Empty());

        Assert.NotNull(catalog.Find(id));
    }

    [Fact]
    public void A_module_marked_unavailable_is_dropped_with_everything_that_requires_it()
    {
        var modules = new ISuiteModule[]
        {
            new TestModule("platform", alwaysOn: true),
            new TestModule("chat", ["platform"]),
            new TestModule("meetings", ["chat"]),
            new TestModule("recordings", ["meetings"]),
            new TestModule("mail", ["platform"]),
        };

        var (catalog, ordered) = ModuleCatalog.Create(modules, TestConfiguration.Unavailable("chat"));

        Assert.Equal(["platform", "mail"], Ids(ordered));
        Assert.Equal(["platform", "mail"], Ids(catalog));
        Assert.Equal(["chat", "meetings", "recordings"], catalog.Unavailable);
        Assert.Null(catalog.Find("chat"));
        Assert.Null(catalog.Find("recordings"));
        Assert.NotNull(catalog.Find("mail"));
    }

    [Fact]
    public void A_dependant_listed_before_the_unavailable_module_is_dropped_too()
    {
        var (catalog, _) = ModuleCatalog.Create(
            [new TestModule("meetings", ["chat"]), new TestModule("chat")],
            TestConfiguration.Unavailable("chat"));

        Assert.Empty(catalog.Modules);
        Assert.Equal(new[] { "chat", "meetings" }, catalog.Unavailable.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Availability_set_to_true_keeps_the_module()
    {
        var (catalog, _) = ModuleCatalog.Create(
            [new TestModule("chat")],
            TestConfiguration.With(("Suite:Modules:chat:Available", "true")));

        Assert.NotNull(catalog.Find("chat"));
        Assert.Empty(catalog.Unavailable);
    }

    [Fact]
    public void An_always_on_module_cannot_be_made_unavailable()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => ModuleCatalog.Create(
            [new TestModule("platform", alwaysOn: true), new TestModule("chat")],
            TestConfiguration.Unavailable("platform")));

        Assert.Contains("'platform'", error.Message);
    }
}
