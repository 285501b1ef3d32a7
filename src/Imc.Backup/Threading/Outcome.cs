using System.Runtime.ExceptionServices;

namespace Imc.Backup.Threading;

/// <summary>
/// What some work gave: its result, or the exception it threw, kept to be rethrown (with its original stack) only
/// where the result is actually needed — work done ahead on another thread may turn out not to be needed at all.
/// </summary>
internal sealed class Outcome<T>
{
    private readonly T _value;
    private readonly ExceptionDispatchInfo? _failure;

    private Outcome(T value, ExceptionDispatchInfo? failure)
    {
        _value = value;
        _failure = failure;
    }

    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Failure(Exception exception) => new(default!, ExceptionDispatchInfo.Capture(exception));

    /// <summary>The result; rethrows the exception the work threw instead.</summary>
    public T Get()
    {
        _failure?.Throw();
        return _value;
    }
}

internal static class Outcome
{
    /// <summary>Runs <paramref name="work"/>, keeping its result or the exception it throws.</summary>
    public static Outcome<T> Of<T>(Func<T> work)
    {
        try
        {
            return Outcome<T>.Success(work());
        }
        catch (Exception e)
        {
            return Outcome<T>.Failure(e);
        }
    }
}
