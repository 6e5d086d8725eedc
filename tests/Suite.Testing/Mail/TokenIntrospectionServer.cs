using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Suite.Testing.Mail;

/// <summary>
/// A minimal OAuth 2 token introspection endpoint (RFC 7662) on loopback, which Dovecot's oauth2 passdb asks whether a
/// bearer token is active and whose it is. Tokens are issued by the tests.
/// </summary>
internal sealed class TokenIntrospectionServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public TokenIntrospectionServer(int port)
    {
        Url = $"http://127.0.0.1:{port}/introspect";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public string Issue(MailUser user)
    {
        var token = "tok-" + Guid.NewGuid().ToString("N");
        _tokens[token] = user.Address;
        return token;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or TimeoutException or InvalidOperationException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var form = await reader.ReadToEndAsync();
            var token = form.Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0] == "token").Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault()
                ?? context.Request.Headers["Authorization"]?.Replace("Bearer ", string.Empty, StringComparison.Ordinal);
            var body = token is not null && _tokens.TryGetValue(token, out var user)
                ? JsonSerializer.Serialize(new { active = true, username = user })
                : JsonSerializer.Serialize(new { active = false });
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
