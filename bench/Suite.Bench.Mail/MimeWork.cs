using System.Diagnostics;
using Suite.Mail.Protocols.Mime;

namespace Suite.Bench.Mail;

/// <summary>What one pass over the corpus did; both sides report the same counters so their work can be compared.</summary>
internal sealed record MimePass(double Ms, double CpuMs, int Messages, long Bytes, int Attachments, long AttachmentBytes, long TextChars, long Headers);

/// <summary>
/// Our side of the MIME measure: every file is parsed with <see cref="MimeParser.ParseFileAsync"/> and then fully
/// consumed, as mailparser consumes it: every header of the message decoded (RFC 2047), the address lists and the date
/// parsed, every body part's text decoded to a string in its charset, every other part (attachments, inline images,
/// forwarded messages) transfer-decoded into a null sink, entity headers (Content-Disposition, file names) read.
/// </summary>
internal static class MimeWork
{
    public static async Task<MimePass> RunAsync(IReadOnlyList<string> files)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        var counters = new Counters();
        foreach (var file in files)
        {
            using var message = await MimeParser.ParseFileAsync(file);
            bytes += message.Length;
            await ConsumeAsync(message, counters);
        }

        var ms = clock.Elapsed.TotalMilliseconds;
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        return new MimePass(ms, cpuMs, files.Count, bytes, counters.Attachments, counters.AttachmentBytes, counters.TextChars, counters.Headers);
    }

    /// <summary>Stopwatch breakdown of our side (`--mode mime-profile`): cumulative stages, CPU ms of the process.</summary>
    public static async Task ProfileAsync(IReadOnlyList<string> files, int rounds)
    {
        var stages = new (string Name, Func<MimeMessage, Task> Work)[]
        {
            ("parse only", _ => Task.CompletedTask),
            ("+ headers decoded, addresses, date", m => { ConsumeHeaders(m); return Task.CompletedTask; }),
            ("+ text parts decoded to strings", async m => { ConsumeHeaders(m); await ConsumeTextAsync(m); }),
            ("+ attachments copied still encoded", async m => { ConsumeHeaders(m); await ConsumeTextAsync(m); await CopyEncodedAsync(m); }),
            ("full (attachments decoded to a null sink)", m => ConsumeAsync(m, new Counters())),
        };
        var inMemory = files.Select(File.ReadAllBytes).ToList();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, work) in new (string, Func<MimeMessage, Task>)[] { ("[memory] parse only", _ => Task.CompletedTask), ("[memory] full", m => ConsumeAsync(m, new Counters())) })
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                foreach (var bytes in inMemory)
                {
                    using var message = await MimeParser.ParseAsync(new MemoryStream(bytes, writable: false));
                    await work(message);
                }

                Console.WriteLine($"  {name,-45} wall {clock.Elapsed.TotalMilliseconds,7:0} ms  CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds,7:0} ms");
            }

            foreach (var (name, work) in stages)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                foreach (var file in files)
                {
                    using var message = await MimeParser.ParseFileAsync(file);
                    await work(message);
                }

                Console.WriteLine($"  {name,-45} wall {clock.Elapsed.TotalMilliseconds,7:0} ms  CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds,7:0} ms");
            }
        }
    }

    private static async Task CopyEncodedAsync(MimeMessage message)
    {
        foreach (var entity in message.Entities)
        {
            if (entity is MimePart part && (part.IsAttachment || !part.ContentType.IsText || part.FileName is not null))
            {
                await using var encoded = part.OpenEncodedRead();
                await encoded.CopyToAsync(Stream.Null);
            }
        }
    }

    private static void ConsumeHeaders(MimeMessage message)
    {
        foreach (var header in message.Headers)
        {
            _ = header.Value;
        }

        _ = message.From.Count + message.To.Count + message.Cc.Count + message.ReplyTo.Count;
        _ = message.Date;
        _ = message.MessageId;
        _ = message.References;
    }

    private static async Task ConsumeTextAsync(MimeMessage message)
    {
        foreach (var entity in message.Entities)
        {
            if (entity is MimePart part && !part.IsAttachment && part.ContentType.IsText && part.FileName is null)
            {
                _ = await part.GetTextAsync();
            }
        }
    }

    private static async Task ConsumeAsync(MimeMessage message, Counters counters)
    {
        foreach (var header in message.Headers)
        {
            counters.Headers++;
            _ = header.Value;
        }

        _ = message.From.Count + message.To.Count + message.Cc.Count + message.ReplyTo.Count;
        _ = message.Date;
        _ = message.MessageId;
        _ = message.References;
        foreach (var entity in message.Entities)
        {
            switch (entity)
            {
                case MimePart part when !part.IsAttachment && part.ContentType.IsText && part.FileName is null:
                    counters.TextChars += (await part.GetTextAsync()).Length;
                    break;
                case MimePart part:
                    _ = part.FileName;
                    _ = part.ContentId;
                    counters.Attachments++;
                    var sink = new CountingSink();
                    await part.CopyDecodedToAsync(sink);
                    counters.AttachmentBytes += sink.Length;
                    break;
                case MessagePart embedded:
                    // mailparser hands a forwarded message over as an attachment (its raw bytes); we parse it too.
                    counters.Attachments++;
                    var sinkRaw = new CountingSink();
                    await using (var raw = embedded.Message.OpenRawRead())
                    {
                        await raw.CopyToAsync(sinkRaw);
                    }

                    counters.AttachmentBytes += sinkRaw.Length;
                    _ = embedded.FileName;
                    break;
            }
        }
    }

    private sealed class Counters
    {
        public int Attachments;
        public long AttachmentBytes;
        public long TextChars;
        public long Headers;
    }

    /// <summary>A write-only stream that keeps nothing and counts what it is given.</summary>
    private sealed class CountingSink : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _length += count;
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
