namespace Suite.Kernel.Modules;

/// <summary>A component a module contributes to a named slot exposed by another part of the UI.</summary>
public sealed record SlotContribution(string ModuleId, string SlotName, Type ComponentType, int Order);

public sealed class SlotBuilder(string moduleId)
{
    private readonly List<SlotContribution> _contributions = [];

    public IReadOnlyList<SlotContribution> Contributions => _contributions;

    /// <typeparam name="TComponent">A Razor component type; rendered with DynamicComponent where the slot is.</typeparam>
    public SlotBuilder Contribute<TComponent>(string slotName, int order = 0)
    {
        _contributions.Add(new SlotContribution(moduleId, slotName, typeof(TComponent), order));
        return this;
    }
}

/// <summary>Names of the slots the shell exposes.</summary>
public static class ShellSlots
{
    /// <summary>Below the tiles on the portal home page.</summary>
    public const string HomeWidgets = "shell.home.widgets";

    /// <summary>The notifications area in the header.</summary>
    public const string HeaderNotifications = "shell.header.notifications";
}
