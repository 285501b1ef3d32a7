namespace Imc.Server.Directory;

/// <summary>Placeholder: implemented by its owner; the constructor and Dispose are the contract ExchangeServer uses.</summary>
public sealed class DirectoryStore(SqliteDatabase db) : IDisposable
{
    internal SqliteDatabase Database { get; } = db;

    public void Dispose() => Database.Dispose();
}
