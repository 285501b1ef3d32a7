using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Imc.Formats.Mapi;
using Imc.Formats.Tnef;
using Imc.Server;
using Imc.Server.Gateway;
using Imc.Server.Setup;
using Imc.Server.Store;

namespace Imc.Bench;

/// <summary>
/// Micro-benchmark of the pieces imcsave and imcrestore are made of, each stage timed alone on the same sample
/// messages: generating them, adding them to the store (batched, and one transaction each as a restore does),
/// reading them back with their attachment data, writing TNEF to nowhere, and writing TNEF files with SHA-256 the
/// way imcsave does, then one syncfs. Also reports managed bytes allocated per stage (copies show up there).
/// <code>dotnet run -c Release --project bench/Imc.Bench -- [-n 2000] [-seed 2] [-attachment BYTES] [-dir DIR] [-stages gen,add,add1,read,tnef-null,tnef-files,read-tnef]</code>
/// </summary>
public static class Program
{
    private static readonly string[] AllStages = ["gen", "add", "add1", "read", "measure", "tnef-null", "tnef-files", "files-nohash", "read-tnef", "create"];

    public static int Main(string[] args)
    {
        var count = 2000;
        var seed = 2;
        long? attachment = null;
        var dir = Path.Combine(Path.GetTempPath(), "imc-bench");
        var stages = AllStages.ToList();
        var reuse = false; // keep DIR/server from an earlier run (same -n and -seed) instead of adding the messages again
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i].TrimStart('-').ToLowerInvariant())
            {
                case "n": count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "attachment": attachment = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "dir": dir = args[++i]; break;
                case "stages": stages = [.. args[++i].Split(',')]; break;
                case "reuse": reuse = true; break;
                default:
                    Console.Error.WriteLine($"unknown argument {args[i]}");
                    return 1;
            }
        }
        _dir = dir;
        var serverPath = Path.Combine(dir, "server");
        reuse &= File.Exists(Path.Combine(serverPath, "registry.db"));
        if (reuse)
        {
            foreach (var sub in System.IO.Directory.EnumerateDirectories(dir).Where(d => Path.GetFileName(d) != "server"))
                System.IO.Directory.Delete(sub, recursive: true);
        }
        else
        {
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
            System.IO.Directory.CreateDirectory(dir);
        }
        Console.WriteLine($"# imc-bench: {count} messages, seed {seed}{(attachment is { } a ? $", attachment {a} bytes" : "")}, {dir}");
        Console.WriteLine($"{"stage",-12} {"seconds",8} {"MB",8} {"MB/s",8} {"msg/s",8} {"alloc MB",9} {"alloc/MB",9} {"cpu s",7}");

        if (stages.Contains("gen"))
            Stage("gen", count, () => Drain(new SampleGenerator(seed) { AttachmentSize = attachment }.Generate(count).Select(x => x.Message)));

        // The server every later stage reads (created unless reused; "add" times it).
        var addTime = Stopwatch.StartNew();
        if (!reuse)
        {
            using var server = ServerSetup.Create(serverPath, new InstallOptions());
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            addTime.Restart();
            ServerSetup.AddSamples(server, count, seed, attachmentSize: attachment);
            addTime.Stop();
            if (stages.Contains("add"))
                Report("add", addTime.Elapsed.TotalSeconds, StoreBytes(server), count, GC.GetTotalAllocatedBytes(precise: true) - allocated);
        }

        if (stages.Contains("add1"))
        {
            // One transaction per message, as imcrestore adds them: durability (one WAL fsync) per message.
            var n = Math.Min(count, 2000);
            using var server = ServerSetup.Create(Path.Combine(dir, "server1"), new InstallOptions());
            var folder = GatewayFolders(server).First(f => f.Name == "MTS-OUT");
            var messages = new SampleGenerator(seed) { AttachmentSize = attachment }.Generate(n).Select(x => x.Message).ToList();
            Stage("add1", n, () =>
            {
                foreach (var m in messages) folder.AddMessage(m);
                return StoreBytes(server);
            });
        }

        if (stages.Contains("pragmas"))
        {
            using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + new ServerLayout(serverPath).PrivateStoreDb);
            c.Open();
            foreach (var pragma in new[] { "secure_delete", "page_size", "mmap_size", "wal_autocheckpoint", "journal_size_limit", "cache_size" })
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA " + pragma;
                Console.WriteLine($"# PRAGMA {pragma} = {cmd.ExecuteScalar()}");
            }
            using var opts = c.CreateCommand();
            opts.CommandText = "PRAGMA compile_options";
            using var r = opts.ExecuteReader();
            var all = new List<string>();
            while (r.Read()) all.Add(r.GetString(0));
            Console.WriteLine("# compile options: " + string.Join(' ', all));
        }

        if (stages.Contains("create"))
        {
            // Only file creation and writing (135 KB each, the mix's average), as imcsave opens its files: the OS part of a save.
            var plain = Path.Combine(dir, "create");
            System.IO.Directory.CreateDirectory(plain);
            var data = new byte[135_000];
            Stage("create", count, () =>
            {
                for (var i = 0; i < count; i++)
                {
                    using var file = new FileStream(Path.Combine(plain, $"{i:D8}.tnef"), new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0,
                    });
                    file.Write(data);
                }
                return (long)count * data.Length;
            });
        }

        using (var server = ExchangeServer.Open(serverPath))
        {
            var folders = GatewayFolders(server);
            if (stages.Contains("read"))
                Stage("read", count, () => ForEachMessage(folders, m => ContentBytes(m)));
            if (stages.Contains("measure"))
                Stage("measure", count, () => ForEachMessage(folders, TnefWriter.MeasureLength));
            if (stages.Contains("tnef-null"))
                Stage("tnef-null", count, () => ForEachMessage(folders, m =>
                {
                    var counter = new CountingStream();
                    TnefWriter.Write(m, counter);
                    return counter.Count;
                }));
            var outDir = Path.Combine(dir, "out");
            if (stages.Contains("tnef-files"))
            {
                System.IO.Directory.CreateDirectory(outDir);
                var i = 0;
                Stage("tnef-files", count, () => ForEachMessage(folders, m => WriteHashed(m, Path.Combine(outDir, $"{++i:D8}.tnef"))));
                Stage("syncfs", count, () =>
                {
                    Syncfs(outDir);
                    return System.IO.Directory.EnumerateFiles(outDir).Sum(f => new FileInfo(f).Length);
                });
            }
            if (stages.Contains("files-nohash"))
            {
                var plain = Path.Combine(dir, "plain");
                System.IO.Directory.CreateDirectory(plain);
                var i = 0;
                Stage("files-nohash", count, () => ForEachMessage(folders, m =>
                {
                    using var file = new FileStream(Path.Combine(plain, $"{++i:D8}.tnef"), new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 });
                    TnefWriter.Write(m, file);
                    return file.Length;
                }));
            }
            if (stages.Contains("read-tnef") && System.IO.Directory.Exists(outDir))
                Stage("read-tnef", count, () =>
                {
                    long bytes = 0;
                    foreach (var f in System.IO.Directory.EnumerateFiles(outDir))
                    {
                        var m = TnefReader.ReadFile(f);
                        bytes += ContentBytes(m) + new FileInfo(f).Length - ContentBytesLength(m);
                    }
                    return bytes;
                });
        }
        Console.WriteLine($"# priv.db {new FileInfo(new ServerLayout(serverPath).PrivateStoreDb).Length / 1e6:F0} MB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        return 0;
    }

    private static string _dir = "";

    private static void Stage(string name, int messages, Func<long> work)
    {
        // Start each stage with no dirty pages: otherwise the kernel makes its writes pay for earlier stages' writeback.
        if (OperatingSystem.IsLinux()) Syncfs(_dir);
        GC.Collect();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var bytes = work();
        clock.Stop();
        Report(name, clock.Elapsed.TotalSeconds, bytes, messages, GC.GetTotalAllocatedBytes(precise: true) - allocated,
            (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>One line: wall seconds, MB, MB/s, messages/s, managed MB allocated (and per MB moved), process CPU seconds (all threads: JIT and GC included).</summary>
    private static void Report(string name, double seconds, long bytes, int messages, long allocated, double cpu = double.NaN)
    {
        var mb = bytes / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-12} {seconds,8:F2} {mb,8:F0} {mb / seconds,8:F0} {messages / seconds,8:F0} {allocated / 1e6,9:F0} {(mb > 0 ? allocated / 1e6 / mb : 0),9:F2} {cpu,7:F2}"));
    }

    private static List<Folder> GatewayFolders(ExchangeServer server)
    {
        var dn = ImcIdentity.Read(server.Registry).GatewayDn;
        var mailbox = server.Store.FindMailbox(dn) ?? throw new InvalidOperationException("no gateway mailbox");
        return [.. ServerSetup.QueueFolders.Select(mailbox.OpenFolder).OfType<Folder>()];
    }

    private static long ForEachMessage(List<Folder> folders, Func<MapiMessage, long> work)
    {
        long bytes = 0;
        foreach (var folder in folders)
            foreach (var info in folder.ListMessages())
                bytes += work(folder.ReadMessage(info.Id));
        return bytes;
    }

    private static long Drain(IEnumerable<MapiMessage> messages)
    {
        long bytes = 0;
        foreach (var m in messages) bytes += ContentBytes(m);
        return bytes;
    }

    private static readonly byte[] Scratch = new byte[1 << 20];

    /// <summary>Reads every attachment's data (embedded messages too) to nowhere; returns the bytes read.</summary>
    private static long ContentBytes(MapiMessage m)
    {
        long bytes = 0;
        foreach (var a in m.Attachments)
        {
            if (a.Data is { } data)
            {
                using var s = data.OpenRead();
                int n;
                while ((n = s.Read(Scratch)) > 0) bytes += n;
            }
            if (a.EmbeddedMessage is { } e) bytes += ContentBytes(e);
        }
        return bytes;
    }

    private static long ContentBytesLength(MapiMessage m) =>
        m.Attachments.Sum(a => (a.Data?.Length ?? 0) + (a.EmbeddedMessage is { } e ? ContentBytesLength(e) : 0));

    private static long StoreBytes(ExchangeServer server) => GatewayFolders(server).Sum(f => f.GetStats().Bytes);

    /// <summary>What imcsave does per file: create, 64 KiB buffer, SHA-256 while writing.</summary>
    private static long WriteHashed(MapiMessage m, string path)
    {
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 });
        var hashing = new HashingStream(file);
        using var buffered = new BufferedStream(hashing, 64 * 1024);
        TnefWriter.Write(m, buffered);
        buffered.Flush();
        hashing.Finish();
        return hashing.Count;
    }

    private static void Syncfs(string folder)
    {
        // Any descriptor on the file system will do; a folder cannot be opened through File.OpenHandle.
        var any = System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).FirstOrDefault();
        if (any is null) return;
        using var handle = File.OpenHandle(any, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
        if (syncfs(handle.DangerousGetHandle().ToInt32()) != 0) throw new IOException("syncfs failed");
    }

#pragma warning disable SYSLIB1054
    [DllImport("libc", SetLastError = true)]
    private static extern int syncfs(int fd);
#pragma warning restore SYSLIB1054

    private sealed class CountingStream : Stream
    {
        public long Count { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Count += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
    }

    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public long Count { get; private set; }
        public byte[] Finish() => _hash.GetHashAndReset();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            _hash.AppendData(buffer);
            Count += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
