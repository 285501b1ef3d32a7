using Imc.Formats.Mapi;
using Imc.Formats.Mime;
using Imc.Testing;
using MimeKit;

namespace Imc.Formats.Tests.Mime;

internal static class EmlSamples
{
    // MimeKit decodes ISO-2022-JP and windows-125x header words only when the code-page provider is registered
    // before parsing; hosts must do the same at start-up.
    static EmlSamples() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public static string PathOf(string name) => System.IO.Path.Combine(TestPaths.TestData, "eml", name);

    public static MimeMessage Load(string name) => MimeMessage.Load(PathOf(name), TestContext.Current.CancellationToken);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    /// <summary>Converts with a fixed search key so results are deterministic.</summary>
    public static MapiMessage ToMapi(string name, DateTime? received = null) =>
        MimeToMapi.Convert(Load(name), new MimeToMapiOptions { NewSearchKey = () => new byte[16], ReceivedTime = received });

    public static string? Named(MapiMessage m, string header) =>
        m.Properties.Find(PropertyName.FromName(PropertySets.InternetHeaders, header))?.Value as string;
}
