using System.Text;

namespace Switchboard.Fuzz;

/// <summary>Raw JSON values (bytes, not necessarily valid JSON or UTF-8) that have broken JSON gateways.</summary>
public static class HostileValues
{
    private static byte[] B(string latin1) => Encoding.Latin1.GetBytes(latin1);

    /// <summary>Strings that are not valid Unicode, or carry NUL and control characters.</summary>
    public static readonly byte[][] BadText =
    [
        B("\"\\ud800\""), B("\"a\\udc00b\""), B("\"\\ud800\\u0041\""), B("\"x\\uDBFF\""), B("\"\\udfff\\ud800\""),
        B("\"\xff\""), B("\"a\xfe\u00ffb\""), B("\"\xc0\xaf\""), B("\"\xed\xa0\x80\""), B("\"\xe2\x82\""), B("\"\xf4\x90\x80\x80\""),
        B("\"\\u0000\""), B("\"x\\u0000y\""), B("\"x\0y\""), B("\"\x01\x02\x1f\""), B("\"tab\there\""), B("\"\\uZZZZ\""),
        B("\"\\u12\""), B("\"\\x41\""), B("\"\\"), B("\"unterminated"), B("\"\u00e9\""), B("\"\\\\ud800\""),
    ];

    /// <summary>Values of the wrong type or out of any range.</summary>
    public static readonly byte[][] WrongTypes =
    [
        B("123"), B("-1"), B("0"), B("1e400"), B("-1e400"), B("99999999999999999999999999999"), B("1.5e308"), B("4294967296"),
        B("2147483648"), B("-0"), B("0.0000001"), B("true"), B("false"), B("null"), B("[]"), B("{}"), B("[1,\"a\",{}]"),
        B("{\"a\":1}"), B("\"\""), B("\" \""), B("NaN"), B("Infinity"), B("\"NaN\""), B("01"), B("1."), B(".5"), B("+1"),
        B("0x10"), B("'single'"), B("undefined"),
    ];

    public static byte[] Deep(Random random)
    {
        var depth = random.Next(4) switch { 0 => random.Next(60, 140), 1 => random.Next(500, 2000), 2 => 129, _ => random.Next(10_000, 200_000) };
        var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var text = new StringBuilder(depth * (open.Length + 1) + 2);
        for (var i = 0; i < depth; i++) text.Append(open);
        text.Append('1');
        if (random.Next(3) != 0) for (var i = 0; i < depth; i++) text.Append(close);
        return B(text.ToString());
    }

    public static byte[] Giant(Random random)
    {
        var length = random.Next(20) == 0 ? random.Next(4_000_000, 9_000_000) : random.Next(50_000, 1_200_000);
        var fill = (byte)"aZ9 é"[random.Next(4)];
        var bytes = new byte[length + 2];
        Array.Fill(bytes, fill);
        bytes[0] = (byte)'"';
        bytes[^1] = (byte)'"';
        if (random.Next(3) == 0) B("\\ud83d\\ude00").CopyTo(bytes, 1 + random.Next(length - 12)); // a valid surrogate pair inside
        return bytes;
    }

    /// <summary>Whole bodies that are not the JSON object expected.</summary>
    public static readonly byte[][] NotAnObject =
    [
        [], B(" "), B("null"), B("[]"), B("\"x\""), B("1"), B("{"), B("}"), B("{\"model\":"), B("{\"model\" \"x\"}"), B("{'model':'x'}"),
        B("{\"a\":1,}"), B("[{}]"), B("\0"), B("\xef\xbb\xbf{}"), B("\xff\xfe{\0}\0"), B("{\"model\":\"x\"}garbage"), B("{}{}"),
        B("/* c */{}"), B("model=gpt-4o&messages=hi"), B("<xml/>"),
    ];

    public static readonly string[] ContentTypes =
    [
        "text/html", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=utf-16", "application/octet-stream",
        "application/x-www-form-urlencoded", "text/plain", ";;;", "application/", "*/*", "application/json;;charset", "APPLICATION/JSON",
        "application/vnd.api+json", "image/png",
    ];
}
