namespace Imc.Testing.Reliability;

/// <summary>
/// The reliability tests run alone, after the others: the kill tests time their kills against a measured run, and
/// tests running beside them on 2 cores would stretch that measurement.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
