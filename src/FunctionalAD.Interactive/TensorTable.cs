namespace FunctionalAD.Interactive;

/// <summary>
/// A vector or matrix to be shown as an HTML table: row and column indices, numbers laid out as the library
/// prints them, long axes cut to their first and last entries (<see cref="NotebookSettings.MaxTableRows"/>,
/// <see cref="NotebookSettings.MaxTableColumns"/>), and optionally each cell coloured by its value.
/// Made by <see cref="Notebook.Table"/> and <see cref="Notebook.Heatmap"/>.
/// </summary>
public sealed class TensorTable
{
    /// <summary>A table of <paramref name="tensor"/> (rank 1 shows as one row, rank 2 as rows and columns).</summary>
    /// <param name="tensor">The values.</param>
    /// <param name="heatmap">True colours each cell: diverging blue-white-red around zero for data of both signs, white to dark blue otherwise.</param>
    /// <param name="title">A caption above the table, shown as text (HTML in it is escaped).</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ShapeException">The tensor is a scalar or has rank 3 or more.</exception>
    public TensorTable(Tensor tensor, bool heatmap = false, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank is not (1 or 2))
            throw new ShapeException($"TensorTable: a table shows a vector or a matrix, but this tensor has shape {tensor.Shape} (rank {tensor.Rank}); slice or reshape it to rank 1 or 2 first");
        Tensor = tensor;
        IsHeatmap = heatmap;
        Title = title;
    }

    /// <summary>The values shown.</summary>
    public Tensor Tensor { get; }

    /// <summary>Whether cells are coloured by value.</summary>
    public bool IsHeatmap { get; }

    /// <summary>The caption, if any.</summary>
    public string? Title { get; }

    /// <summary>The HTML table.</summary>
    public string ToHtml() => TensorHtml.Table(Tensor, IsHeatmap, Title);

    /// <summary>The tensor as NumPy-like text, under the title if there is one.</summary>
    public override string ToString() => (Title is null ? "" : Title + "\n") + TensorText.Format(Tensor);
}
