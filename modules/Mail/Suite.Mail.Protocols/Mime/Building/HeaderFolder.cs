using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Writes "Name: word word ..." folding at whitespace so lines stay within 78 characters (RFC 5322 §2.1.1). Words
/// are never split; a single word longer than a line (a long msg-id) gets a line of its own, still far below 998.
/// </summary>
internal static class HeaderFolder
{
    public const int MaxLineLength = 78;

    public static string Fold(string name, IReadOnlyList<string> words)
    {
        var sb = new StringBuilder(name.Length + 2 + words.Sum(w => w.Length + 3));
        sb.Append(name).Append(':');
        var lineLength = sb.Length;
        var lineHasWord = false;
        foreach (var word in words)
        {
            if (word.Length == 0)
            {
                continue;
            }

            if (lineHasWord && lineLength + 1 + word.Length > MaxLineLength)
            {
                sb.Append("\r\n");
                lineLength = 0;
            }

            sb.Append(' ').Append(word);
            lineLength += 1 + word.Length;
            lineHasWord = true;
        }

        return sb.Append("\r\n").ToString();
    }
}
