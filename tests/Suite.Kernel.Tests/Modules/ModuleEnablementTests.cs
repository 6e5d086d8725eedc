using Suite.Kernel.Modules;
using Suite.Kernel.Tests.Support;

namespace Suite.Kernel.Tests.Modules;

public sealed class ModuleEnablementTests
{
    private static readonly ModuleCatalog Catalog = ModuleCatalog.Create(
        [
            new TestModule("platform", alwaysOn: true),
            new TestModule("chat", ["platform"]),
            new TestModule("meetings", ["chat"]),
            new TestModule("recordings", ["meetings"]),
            new TestModule("mail", ["platform"]),
        ],
        TestConfiguration.Empty()).Catalog;

    private static Dictionary<string, bool> Layer(params (string Id, bool On)[] switches) =>
        switches.ToDictionary(s => s.Id, s => s.On, StringComparer.Ordinal);

    private static ModuleSwitches Switches(Dictionary<string, bool> tenant, params Dictionary<string, bool>[] departmentChain) =>
        new(tenant, departmentChain);

    private static readonly Func<string, bool> AllOnByDefault = _ => true;
    private static readonly Func<string, bool> AllOffByDefault = _ => false;

    [Fact]
    public void An_always_on_module_is_effective_even_when_every_layer_switches_it_off()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("platform", false)), Layer(("platform", false))),
            AllOffByDefault);

        Assert.Equal(["platform"], effective.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_any_switch_the_deployment_default_decides()
    {
        var onByDefault = ModuleEnablement.Effective(Catalog, ModuleSwitches.None, id => id is "chat" or "mail");

        Assert.Equal(["chat", "mail", "platform"], onByDefault.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_ministry_switches_a_module_on_that_is_off_by_default()
    {
        var effective = ModuleEnablement.Effective(Catalog, Switches(Layer(("mail", true))), AllOffByDefault);

        Assert.Contains("mail", effective);
        Assert.DoesNotContain("chat", effective);
    }

    [Fact]
    public void The_ministry_switches_a_module_off_that_is_on_by_default()
    {
        var effective = ModuleEnablement.Effective(Catalog, Switches(Layer(("mail", false))), AllOnByDefault);

        Assert.DoesNotContain("mail", effective);
        Assert.Contains("chat", effective);
    }

    [Fact]
    public void A_department_cannot_enable_what_the_ministry_switched_off()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("mail", false)), Layer(("mail", true)), Layer(("mail", true))),
            AllOnByDefault);

        Assert.DoesNotContain("mail", effective);
    }

    [Fact]
    public void A_department_cannot_enable_what_is_off_by_default_and_not_enabled_by_the_ministry()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(), Layer(("mail", true))),
            AllOffByDefault);

        Assert.DoesNotContain("mail", effective);
    }

    [Fact]
    public void A_department_can_switch_off_what_the_ministry_enabled()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("mail", true)), Layer(("mail", false))),
            AllOffByDefault);

        Assert.DoesNotContain("mail", effective);
    }

    [Fact]
    public void A_department_without_a_switch_inherits_from_its_parent()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("mail", true)), Layer(), Layer(("mail", false))),
            AllOffByDefault);

        Assert.DoesNotContain("mail", effective);
    }

    [Fact]
    public void The_nearest_explicit_department_switch_wins()
    {
        var onNearest = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("mail", true)), Layer(), Layer(("mail", true)), Layer(("mail", false))),
            AllOffByDefault);
        var offNearest = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("mail", true)), Layer(("mail", false)), Layer(("mail", true))),
            AllOffByDefault);

        Assert.Contains("mail", onNearest);
        Assert.DoesNotContain("mail", offNearest);
    }

    [Fact]
    public void A_department_chain_without_switches_inherits_the_ministry_decision()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("mail", true)), Layer(), Layer()),
            AllOffByDefault);

        Assert.Contains("mail", effective);
    }

    [Fact]
    public void A_module_is_off_when_what_it_requires_is_off()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(("chat", false), ("meetings", true), ("recordings", true))),
            AllOffByDefault);

        Assert.DoesNotContain("chat", effective);
        Assert.DoesNotContain("meetings", effective);
        Assert.DoesNotContain("recordings", effective);
    }

    [Fact]
    public void A_requirement_switched_off_by_a_department_switches_its_dependants_off_transitively()
    {
        var effective = ModuleEnablement.Effective(
            Catalog,
            Switches(Layer(), Layer(("chat", false))),
            AllOnByDefault);

        Assert.Equal(["mail", "platform"], effective.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_module_is_effective_when_every_layer_agrees()
    {
        var effective = ModuleEnablement.Effective(Catalog, Switches(Layer(), Layer()), AllOnByDefault);

        Assert.Equal(["chat", "mail", "meetings", "platform", "recordings"], effective.Order(StringComparer.Ordinal));
    }
}
