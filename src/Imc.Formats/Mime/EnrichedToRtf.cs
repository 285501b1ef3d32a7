using System.Globalization;
using System.Text;

namespace Imc.Formats.Mime;

/// <summary>
/// Turns text/enriched (RFC 1896) into a small RTF document for PR_RTF_COMPRESSED: bold, italic, underline, fixed
/// pitch, paragraph breaks; other formatting commands are dropped, their text kept.
/// </summary>
internal static class EnrichedToRtf
{
    public static string Convert(string enriched)
    {
        var rtf = new StringBuilder("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}{\\f1\\fmodern Courier New;}}\r\n\\pard\\plain\\f0\\fs20 ");
        var text = enriched.Replace("\r\n", "\n", StringComparison.Ordinal);
        var noFill = 0;
        var inParam = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '<')
            {
                if (i + 1 < text.Length && text[i + 1] == '<')
                {
                    if (inParam == 0) rtf.Append('<');
                    i++;
                    continue;
                }
                var end = text.IndexOf('>', i);
                if (end < 0) break;
                var tag = text[(i + 1)..end].Trim().ToLowerInvariant();
                i = end;
                var closing = tag.StartsWith('/');
                var name = closing ? tag[1..] : tag;
                switch (name)
                {
                    case "bold": rtf.Append(closing ? "\\b0 " : "\\b "); break;
                    case "italic": rtf.Append(closing ? "\\i0 " : "\\i "); break;
                    case "underline": rtf.Append(closing ? "\\ul0 " : "\\ul "); break;
                    case "fixed": rtf.Append(closing ? "\\f0 " : "\\f1 "); break;
                    case "nofill": noFill += closing ? -1 : 1; break;
                    case "param": inParam += closing ? -1 : 1; break;
                }
                continue;
            }
            if (inParam > 0) continue;
            if (c == '\n')
            {
                if (noFill > 0) { rtf.Append("\\par\r\n"); continue; }
                // n newlines in a row are n-1 line breaks; a single one is a space.
                var n = 1;
                while (i + 1 < text.Length && text[i + 1] == '\n') { n++; i++; }
                if (n == 1) rtf.Append(' ');
                else for (var k = 1; k < n; k++) rtf.Append("\\par\r\n");
                continue;
            }
            switch (c)
            {
                case '\\' or '{' or '}': rtf.Append('\\').Append(c); break;
                case < (char)128: rtf.Append(c); break;
                default: rtf.Append("\\u").Append(((short)c).ToString(CultureInfo.InvariantCulture)).Append('?'); break;
            }
        }
        return rtf.Append("\\par\r\n}").ToString();
    }
}
