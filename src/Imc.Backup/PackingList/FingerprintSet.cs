namespace Imc.Backup.PackingList;

/// <summary>
/// A set of 64-bit fingerprints of names, each with an optional 64-bit value: 8 or 16 bytes a name instead of a
/// string and a dictionary entry (about 100 bytes a name for the 100,000 names of a large packing list). The
/// fingerprints are keyed per process (<see cref="string.GetHashCode(ReadOnlySpan{char}, StringComparison)"/>), so
/// no list can be made to collide on purpose; callers confirm a hit against the text where it matters.
/// </summary>
internal sealed class FingerprintSet(bool withValues)
{
    private ulong[] _keys = new ulong[16];
    private ulong[]? _values = withValues ? new ulong[16] : null;

    public int Count { get; private set; }

    /// <summary>The fingerprint of <paramref name="name"/> under <paramref name="comparison"/> (Ordinal or OrdinalIgnoreCase): equal names, equal fingerprints.</summary>
    public static ulong Of(ReadOnlySpan<char> name, StringComparison comparison)
    {
        // Two independent 32-bit halves: the name, and the name behind a fixed prefix.
        Span<char> salted = name.Length < 512 ? stackalloc char[name.Length + 1] : new char[name.Length + 1];
        salted[0] = '\u0001';
        name.CopyTo(salted[1..]);
        var fingerprint = ((ulong)(uint)string.GetHashCode(salted, comparison) << 32) | (uint)string.GetHashCode(name, comparison);
        return fingerprint == 0 ? 1 : fingerprint; // 0 marks an empty slot
    }

    /// <summary>Adds <paramref name="key"/>; false (and nothing changes) when it is there already.</summary>
    public bool Add(ulong key, ulong value = 0)
    {
        if ((Count + 1) * 4 > _keys.Length * 3) Grow();
        var i = Find(_keys, key);
        if (_keys[i] == key) return false;
        _keys[i] = key;
        if (_values is not null) _values[i] = value;
        Count++;
        return true;
    }

    public bool Contains(ulong key) => _keys[Find(_keys, key)] == key;

    public bool TryGetValue(ulong key, out ulong value)
    {
        var i = Find(_keys, key);
        value = _values is null ? 0 : _values[i];
        return _keys[i] == key;
    }

    // Linear probing over a power-of-two table: the slot holding key, or the empty slot where it would go.
    private static int Find(ulong[] keys, ulong key)
    {
        var mask = keys.Length - 1;
        var i = (int)(key ^ (key >> 29)) & mask;
        while (keys[i] != 0 && keys[i] != key) i = (i + 1) & mask;
        return i;
    }

    private void Grow()
    {
        var (keys, values) = (_keys, _values);
        _keys = new ulong[keys.Length * 2];
        _values = values is null ? null : new ulong[keys.Length * 2];
        for (var j = 0; j < keys.Length; j++)
        {
            if (keys[j] == 0) continue;
            var i = Find(_keys, keys[j]);
            _keys[i] = keys[j];
            if (_values is not null) _values[i] = values![j];
        }
    }
}
