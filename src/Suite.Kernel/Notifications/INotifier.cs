namespace Suite.Kernel.Notifications;

/// <param name="Title">One line, already in the recipient's language.</param>
/// <param name="Link">A local path ("/meetings/abc-defg-hij") the notification opens; anything else is dropped.</param>
public sealed record NotificationMessage(string Title, string? Body = null, string? Link = null);

/// <summary>Puts a notification in the header's notifications area of a user of the current ministry. Signed-in
/// pages showing it update at once.</summary>
public interface INotifier
{
    Task NotifyAsync(string moduleId, Guid userId, NotificationMessage message, CancellationToken cancellationToken = default);
}
