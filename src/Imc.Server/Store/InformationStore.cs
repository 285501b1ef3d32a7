namespace Imc.Server.Store;

/// <summary>Placeholder: implemented by its owner; the constructor and Dispose are the contract ExchangeServer uses.</summary>
public sealed class InformationStore(SqliteDatabase db) : IDisposable
{
    internal SqliteDatabase Database { get; } = db;

    public void Dispose() => Database.Dispose();
}
