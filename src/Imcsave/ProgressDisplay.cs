namespace Imcsave;

/// <summary>How progress is shown.</summary>
internal enum ProgressDisplay
{
    /// <summary>-quiet or -json: nothing.</summary>
    None,
    /// <summary>No terminal: a plain line at most once a second, and one per queue when it is done.</summary>
    Lines,
    /// <summary>A terminal: a Spectre.Console progress bar per queue.</summary>
    Bars,
}

/// <summary>How the -delete confirmation is answered.</summary>
internal enum DeleteAnswer
{
    /// <summary>-yes.</summary>
    Yes,
    /// <summary>Ask on the terminal.</summary>
    Ask,
    /// <summary>No terminal and no -yes: declined (promise 7: nothing waits for an answer).</summary>
    No,
}
