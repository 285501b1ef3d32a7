namespace Imc.Server.Gateway;

/// <summary>Where the MTA put a submitted message.</summary>
public enum RouteDestination
{
    /// <summary>Into the gateway's MTS-OUT queue: transfer was enabled.</summary>
    MtsOut,

    /// <summary>Held in the MTA's queue for the gateway until PR_TRANSFER_ENABLED is set again.</summary>
    Held,
}

/// <summary>The outcome of <see cref="MessageTransferAgent.SubmitToInternet"/>: where the message went and its id there.</summary>
public sealed record RouteResult(RouteDestination Destination, long MessageId)
{
    public bool IsHeld => Destination == RouteDestination.Held;
}
