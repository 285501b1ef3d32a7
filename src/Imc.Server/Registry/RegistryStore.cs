namespace Imc.Server.Registry;

/// <summary>Placeholder: implemented by its owner; the constructor and Dispose are the contract ExchangeServer uses.</summary>
public sealed class RegistryStore(SqliteDatabase db) : IDisposable
{
    internal SqliteDatabase Database { get; } = db;

    public void Dispose() => Database.Dispose();
}
