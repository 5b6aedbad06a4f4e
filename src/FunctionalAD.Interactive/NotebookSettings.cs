namespace FunctionalAD.Interactive;

/// <summary>
/// How much of a value the notebook formatters show. Process-wide, like NumPy's print options; change them
/// in a notebook cell and every later display follows.
/// </summary>
public static class NotebookSettings
{
    private static int _threshold = 1000, _edgeItems = 3, _maxRows = 20, _maxColumns = 20, _maxLatex = 20_000;

    /// <summary>
    /// Tensors with more elements than this print summarised, NumPy's <c>threshold</c>: the first and last
    /// <see cref="EdgeItems"/> entries of each long axis, with "..." between. Default 1000.
    /// </summary>
    public static int SummaryThreshold
    {
        get => _threshold;
        set => _threshold = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SummaryThreshold), value, "SummaryThreshold must be at least 1");
    }

    /// <summary>Entries kept at each end of a summarised axis, NumPy's <c>edgeitems</c>. Default 3.</summary>
    public static int EdgeItems
    {
        get => _edgeItems;
        set => _edgeItems = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(EdgeItems), value, "EdgeItems must be at least 1");
    }

    /// <summary>Rows an HTML table of a matrix shows, half from the top and half from the bottom. Default 20.</summary>
    public static int MaxTableRows
    {
        get => _maxRows;
        set => _maxRows = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTableRows), value, "MaxTableRows must be at least 2");
    }

    /// <summary>Columns an HTML table of a matrix shows, half from the left and half from the right. Default 20.</summary>
    public static int MaxTableColumns
    {
        get => _maxColumns;
        set => _maxColumns = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(MaxTableColumns), value, "MaxTableColumns must be at least 2");
    }

    /// <summary>True colours every matrix table as a heatmap (see <see cref="Notebook.Heatmap"/>). Default false.</summary>
    public static bool Heatmap { get; set; }

    /// <summary>
    /// Longest LaTeX typeset for an expression, in characters. A longer one (a big gradient, whose shared
    /// subterms LaTeX writes out each time they occur) shows its size instead, since MathJax and KaTeX stall on
    /// it; its text/plain form still holds all of it. Default 20000.
    /// </summary>
    public static int MaxLatexLength
    {
        get => _maxLatex;
        set => _maxLatex = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxLatexLength), value, "MaxLatexLength must be at least 1");
    }

    /// <summary>Puts every setting back to its default.</summary>
    public static void Reset()
    {
        (_threshold, _edgeItems, _maxRows, _maxColumns, _maxLatex) = (1000, 3, 20, 20, 20_000);
        Heatmap = false;
    }
}
