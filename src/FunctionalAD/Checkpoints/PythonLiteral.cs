using System.Globalization;

namespace FunctionalAD;

/// <summary>
/// A reader for the Python literals a .npy header is made of (what <c>ast.literal_eval</c> accepts there): dicts,
/// tuples, lists, strings, integers, True, False and None. Strings come back as string, integers as
/// <see cref="System.Numerics.BigInteger"/>, tuples and lists as <c>List&lt;object?&gt;</c>, dicts as
/// <c>List&lt;KeyValuePair&lt;object?, object?&gt;&gt;</c> (so duplicate keys stay visible). Nesting is limited, so a
/// hostile header cannot exhaust the stack.
/// </summary>
internal sealed class PythonLiteral
{
    private const int MaxDepth = 32;
    private readonly string _s;
    private int _i;

    private PythonLiteral(string s) => _s = s;

    /// <summary>The value of <paramref name="text"/>, or a <see cref="FormatException"/> saying where it stops being a literal.</summary>
    public static object? Parse(string text)
    {
        var p = new PythonLiteral(text);
        var v = p.Value(0);
        p.SkipSpace();
        if (p._i != text.Length) throw p.Error("unexpected text after the value");
        return v;
    }

    private FormatException Error(string what) =>
        new($"{what} at character {_i}" + (_i < _s.Length ? $" ('{_s[_i]}')" : " (end of header)"));

    private void SkipSpace()
    {
        while (_i < _s.Length && char.IsWhiteSpace(_s[_i])) _i++;
    }

    private object? Value(int depth)
    {
        if (depth > MaxDepth) throw Error($"nesting deeper than {MaxDepth}");
        SkipSpace();
        if (_i >= _s.Length) throw Error("a value is missing");
        char c = _s[_i];
        switch (c)
        {
            case '{': return Dict(depth);
            case '(': return Sequence(')', depth);
            case '[': return Sequence(']', depth);
            case '\'' or '"': return String();
        }
        if (c == '-' || c == '+' || char.IsAsciiDigit(c)) return Integer();
        if (Word("True")) return true;
        if (Word("False")) return false;
        if (Word("None")) return null;
        throw Error("not a Python literal");
    }

    private bool Word(string w)
    {
        if (string.CompareOrdinal(_s, _i, w, 0, w.Length) != 0) return false;
        int end = _i + w.Length;
        if (end < _s.Length && (char.IsAsciiLetterOrDigit(_s[end]) || _s[end] == '_')) return false;
        _i = end;
        return true;
    }

    private List<KeyValuePair<object?, object?>> Dict(int depth)
    {
        _i++;
        var items = new List<KeyValuePair<object?, object?>>();
        while (true)
        {
            SkipSpace();
            if (_i < _s.Length && _s[_i] == '}') { _i++; return items; }
            var key = Value(depth + 1);
            SkipSpace();
            if (_i >= _s.Length || _s[_i] != ':') throw Error("':' expected after a dict key");
            _i++;
            var value = Value(depth + 1);
            items.Add(new(key, value));
            SkipSpace();
            if (_i < _s.Length && _s[_i] == ',') { _i++; continue; }
            if (_i < _s.Length && _s[_i] == '}') { _i++; return items; }
            throw Error("',' or '}' expected in a dict");
        }
    }

    private List<object?> Sequence(char close, int depth)
    {
        _i++;
        var items = new List<object?>();
        while (true)
        {
            SkipSpace();
            if (_i < _s.Length && _s[_i] == close) { _i++; return items; }
            items.Add(Value(depth + 1));
            SkipSpace();
            if (_i < _s.Length && _s[_i] == ',') { _i++; continue; }
            if (_i < _s.Length && _s[_i] == close) { _i++; return items; }
            throw Error($"',' or '{close}' expected");
        }
    }

    private string String()
    {
        char quote = _s[_i++];
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            if (_i >= _s.Length || _s[_i] == '\n') throw Error("unterminated string");
            char c = _s[_i++];
            if (c == quote) return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (_i >= _s.Length) throw Error("unterminated string");
            char e = _s[_i++];
            sb.Append(e switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                '\\' or '\'' or '"' => e,
                _ => throw Error($"unsupported escape \\{e} in a string"),
            });
        }
    }

    private System.Numerics.BigInteger Integer()
    {
        int start = _i;
        if (_s[_i] is '-' or '+') _i++;
        int digits = _i;
        while (_i < _s.Length && char.IsAsciiDigit(_s[_i])) _i++;
        if (_i == digits) throw Error("digits expected");
        if (_i - digits > 40) throw Error("an integer with more than 40 digits");
        var value = System.Numerics.BigInteger.Parse(_s.AsSpan(start, _i - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        // Python 2 wrote longs as 3L; NumPy still reads such headers.
        if (_i < _s.Length && _s[_i] is 'L' or 'l') _i++;
        return value;
    }
}
