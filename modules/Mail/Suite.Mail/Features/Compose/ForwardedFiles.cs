using Suite.Mail.Features.Reading;

namespace Suite.Mail.Features.Compose;

/// <summary>The original's attachments kept in a forward: decoded from IMAP into temporary files for the time of
/// the send (the message is written from them), deleted afterwards.</summary>
internal sealed class ForwardedFiles(PartDownload download) : IAsyncDisposable
{
    private readonly List<string> _paths = [];

    public async Task<IReadOnlyList<DraftFile>> FetchAsync(string folder, uint uid, IReadOnlyList<AttachmentInfo> attachments, CancellationToken cancellationToken = default)
    {
        var files = new List<DraftFile>();
        foreach (var attachment in attachments)
        {
            if (await download.FindAsync(folder, uid, attachment.Section, cancellationToken) is not { } part)
                continue;
            var path = Path.GetTempFileName();
            _paths.Add(path);
            await using (var file = File.Create(path))
                await download.CopyDecodedAsync(uid, part, file, cancellationToken);
            files.Add(new DraftFile(attachment.FileName, attachment.ContentType, () => File.OpenRead(path)));
        }
        return files;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var path in _paths)
        {
            try { File.Delete(path); } catch (IOException) { }
        }
        return ValueTask.CompletedTask;
    }
}
