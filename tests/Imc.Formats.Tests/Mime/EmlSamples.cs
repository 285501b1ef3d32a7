using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using Imc.Testing;
using MimeKit;

namespace Imc.Formats.Tests.Mime;

internal static class EmlSamples
{
    public static string PathOf(string name) => System.IO.Path.Combine(TestPaths.TestData, "eml", name);

    public static MimeMessage Load(string name) => MimeMessage.Load(PathOf(name), TestContext.Current.CancellationToken);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>Converts with a fixed search key so results are deterministic.</summary>
    public static MapiMessage ToMapi(string name, DateTime? received = null) =>
        MimeToMapi.Convert(Load(name), new MimeToMapiOptions { NewSearchKey = () => new byte[16], ReceivedTime = received });

    public static string? Named(MapiMessage m, string header) =>
        m.Properties.Find(PropertyName.FromName(PropertySets.InternetHeaders, header))?.Value as string;
}
