namespace Suite.Kernel.People;

/// <param name="Email">The address the person signs in with (and is written to).</param>
public sealed record Person(Guid UserId, string DisplayName, string Email);

/// <summary>The active people of the current user's ministry, for pickers (mail recipients, invitations). Never another
/// ministry's people; nobody at all without a ministry in scope.</summary>
public interface IPeopleDirectory
{
    /// <summary>People whose name or address contains <paramref name="text"/> (at least 2 characters), by name.</summary>
    Task<IReadOnlyList<Person>> SearchAsync(string text, int max, CancellationToken cancellationToken = default);

    /// <summary>The active person with this id in the current ministry, or null.</summary>
    Task<Person?> FindAsync(Guid userId, CancellationToken cancellationToken = default);
}
