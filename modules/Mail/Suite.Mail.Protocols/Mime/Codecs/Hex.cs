namespace Suite.Mail.Protocols.Mime;

internal static class Hex
{
    public static int Value(int c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    public static byte UpperDigit(int value) => (byte)"0123456789ABCDEF"[value & 0xF];
}
