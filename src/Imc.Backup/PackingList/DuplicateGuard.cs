namespace Imc.Backup.PackingList;

/// <summary>
/// Tells whether a key of a section may repeat an earlier one, case-insensitively, without holding the keys of a list
/// in imcsave's order: there each folder's names come together and ascending, so a key is new when it is above the
/// previous one of its folder and its folder has not been left yet (the few names outside folders are held). The
/// first key out of that order switches to fingerprints of every key (the earlier ones read again): a list edited by
/// hand costs memory, one imcsave wrote does not.
/// </summary>
internal sealed class DuplicateGuard(Func<IEnumerable<string>> earlierKeys)
{
    private readonly HashSet<string> _topLevel = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _leftFolders = new(StringComparer.OrdinalIgnoreCase);
    private string? _folder, _last;
    private FingerprintSet? _seen;

    /// <summary>Whether the keys left imcsave's order, so that fingerprints of all of them are held.</summary>
    public bool HoldsFingerprints => _seen is not null;

    /// <summary>True when <paramref name="key"/> is certainly new; false when it may repeat an earlier key (the caller looks).</summary>
    public bool IsNew(string key)
    {
        if (_seen is null)
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0) return _topLevel.Add(key);
            var folder = key.AsSpan(0, slash);
            if (_folder is not null && folder.Equals(_folder, StringComparison.OrdinalIgnoreCase))
            {
                if (key.AsSpan(slash).CompareTo(_last.AsSpan(_folder.Length), StringComparison.OrdinalIgnoreCase) > 0)
                {
                    _last = key;
                    return true;
                }
            }
            else if (!_leftFolders.Contains(folder.ToString()))
            {
                if (_folder is not null) _leftFolders.Add(_folder);
                (_folder, _last) = (folder.ToString(), key);
                return true;
            }
            _seen = new FingerprintSet(withValues: false);
            foreach (var earlier in earlierKeys()) _seen.Add(Fingerprint(earlier));
        }
        return _seen.Add(Fingerprint(key));
    }

    private static ulong Fingerprint(string key) => FingerprintSet.Of(key, StringComparison.OrdinalIgnoreCase);
}
