using System.Globalization;
using System.Xml.Linq;
using FunctionalAD.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit;

namespace FunctionalAD.Interactive.Tests;

public class TensorFormattingTests
{
    public TensorFormattingTests() => Render.Reset();

    private static Tensor Range(int n, params int[] shape) =>
        Tensor.From(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), new Shape(shape));

    [Fact]
    public void A_small_tensor_prints_as_the_library_prints_it()
    {
        var t = Tensor.From(new[] { 1.5f, -2f, 3.25f, 0f, 7f, -0.5f }, new Shape(2, 3));
        Assert.Equal(t.ToString(), Render.Plain(t));
    }

    [Fact]
    public void A_large_tensor_is_summarised_as_NumPy_summarises_it()
    {
        // numpy: print(np.arange(2000, dtype=np.int32).reshape(2, 1000))
        var t = Tensor.From(Enumerable.Range(0, 2000).ToArray(), new Shape(2, 1000));
        Assert.Equal(
            "tf.Tensor(\n[[   0    1    2 ...  997  998  999]\n [1000 1001 1002 ... 1997 1998 1999]], shape=(2, 1000), dtype=int32)",
            Render.Plain(t));
    }

    [Fact]
    public void Summaries_cut_every_long_axis_and_keep_NumPys_blank_lines_between_blocks()
    {
        // numpy: print(np.arange(8000, dtype=np.int32).reshape(20, 20, 20)) starts and ends like this, with "..." blocks between.
        var text = Render.Plain(Tensor.From(Enumerable.Range(0, 8000).ToArray(), new Shape(20, 20, 20)));
        Assert.StartsWith("tf.Tensor(\n[[[   0    1    2 ...   17   18   19]\n  [  20   21   22 ...   37   38   39]\n  [  40   41   42 ...   57   58   59]\n  ...\n  [ 340  341  342 ...  357  358  359]\n", text);
        Assert.Contains("  [ 380  381  382 ...  397  398  399]]\n\n [[ 400  401  402 ...  417  418  419]\n", text);
        Assert.Contains("]]\n\n ...\n\n [[6800 6801 6802 ...", text);
        Assert.EndsWith("[7980 7981 7982 ... 7997 7998 7999]]], shape=(20, 20, 20), dtype=int32)", text);
    }

    [Fact]
    public void The_threshold_and_edge_items_are_settings()
    {
        var t = Range(10, 10);
        Assert.DoesNotContain("...", Render.Plain(t));
        NotebookSettings.SummaryThreshold = 5;
        NotebookSettings.EdgeItems = 2;
        Assert.Equal("tf.Tensor([0. 1. ... 8. 9.], shape=(10,), dtype=float32)", Render.Plain(t));
        Assert.Throws<ArgumentOutOfRangeException>(() => NotebookSettings.SummaryThreshold = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => NotebookSettings.EdgeItems = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => NotebookSettings.MaxTableRows = 1);
        Assert.Equal(5, NotebookSettings.SummaryThreshold);
    }

    [Fact]
    public void A_matrix_is_an_HTML_table_with_indices_shape_and_the_printed_numbers()
    {
        var t = Tensor.From(new[] { 1.5f, -2f, 3.25f, 0f, 7f, -0.5f }, new Shape(2, 3));
        var table = Render.Xml(Render.Html(t)).Descendants("table").Single();
        Assert.Equal("shape=(2, 3), dtype=float32", table.Element("caption")!.Value.Trim());
        Assert.Equal(new[] { "", "0", "1", "2" }, table.Element("thead")!.Descendants("th").Select(h => h.Value));
        var rows = table.Element("tbody")!.Elements("tr").ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal(new[] { "0", "1" }, rows.Select(r => r.Element("th")!.Value));
        // The same numbers as the text form: NumPy's common number of decimals.
        Assert.Equal(new[] { "1.5", "-2.", "3.25" }, rows[0].Elements("td").Select(c => c.Value));
        Assert.Equal(new[] { "0.", "7.", "-0.5" }, rows[1].Elements("td").Select(c => c.Value));
        Assert.DoesNotContain("background-color", Render.Html(t));
    }

    [Fact]
    public void A_vector_is_a_one_row_table_and_other_ranks_are_escaped_text()
    {
        var v = Tensor.From(new[] { 1, 2, 3 });
        var cells = Render.Xml(Render.Html(v)).Descendants("td").Select(c => c.Value).ToArray();
        Assert.Equal(new[] { "1", "2", "3" }, cells);
        var cube = Range(8, 2, 2, 2);
        var pre = Render.Xml(Render.Html(cube)).Descendants("pre").Single();
        Assert.Equal(cube.ToString(), pre.Value);
        var scalar = Render.Xml(Render.Html(Tensor.Scalar(2.5f))).Descendants("pre").Single();
        Assert.Equal("tf.Tensor(2.5, shape=(), dtype=float32)", scalar.Value);
    }

    [Fact]
    public void A_big_matrix_table_shows_its_first_and_last_rows_and_columns()
    {
        NotebookSettings.MaxTableRows = 4;
        NotebookSettings.MaxTableColumns = 6;
        var t = Range(30 * 40, 30, 40);
        var table = Render.Xml(Render.Html(t)).Descendants("table").Single();
        Assert.Equal(new[] { "", "0", "1", "2", "…", "37", "38", "39" }, table.Element("thead")!.Descendants("th").Select(h => h.Value));
        var rows = table.Element("tbody")!.Elements("tr").ToArray();
        Assert.Equal(new[] { "0", "1", "…", "28", "29" }, rows.Select(r => r.Element("th")!.Value));
        Assert.Equal(new[] { "1160.", "1161.", "1162.", "…", "1197.", "1198.", "1199." }, rows[4].Elements("td").Select(c => c.Value));
        Assert.All(rows[2].Elements("td"), c => Assert.Equal("…", c.Value));
    }

    [Fact]
    public void A_heatmap_colours_negative_cells_blue_positive_red_and_zero_white()
    {
        var t = Tensor.From(new[] { -4f, 0f, 4f, float.NaN, -1f, 2f }, new Shape(2, 3));
        var cells = Render.Xml(Render.Html(Notebook.Heatmap(t))).Descendants("td").ToArray();
        var colours = cells.Select(Background).ToArray();
        Assert.Equal((59, 76, 192), colours[0]);      // the most negative: the blue end
        Assert.Equal((255, 255, 255), colours[1]);    // zero: white
        Assert.Equal((180, 4, 38), colours[2]);       // the most positive (same magnitude): the red end
        Assert.Equal((208, 208, 208), colours[3]);    // NaN: grey
        Assert.True(colours[4].B > colours[4].R && colours[4].R > colours[0].R, "-1 is a lighter blue than -4");
        Assert.True(colours[5].R > colours[5].B && colours[5].G > colours[2].G, "2 is a lighter red than 4");
        Assert.Contains("color:#fff", (string)cells[0].Attribute("style")!);   // white text on the dark end
        Assert.Contains("color:#000", (string)cells[1].Attribute("style")!);
    }

    [Fact]
    public void A_one_signed_heatmap_runs_from_white_at_the_minimum_to_dark_blue_at_the_maximum()
    {
        var t = Tensor.From(new[] { 1.0, 2.0, 3.0 });
        var colours = Render.Xml(Render.Html(t.Heatmap())).Descendants("td").Select(Background).ToArray();
        Assert.Equal((255, 255, 255), colours[0]);
        Assert.Equal((8, 48, 107), colours[2]);
        Assert.True(colours[1].R < 255 && colours[1].R > 8);
    }

    [Fact]
    public void The_heatmap_setting_colours_every_matrix()
    {
        var t = Tensor.From(new[] { -1f, 1f });
        Assert.DoesNotContain("background-color", Render.Html(t));
        NotebookSettings.Heatmap = true;
        Assert.Contains("background-color", Render.Html(t));
    }

    [Fact]
    public void A_table_title_is_escaped_and_bad_tables_are_refused()
    {
        var t = Tensor.From(new[] { 1f, 2f });
        var html = Render.Html(new TensorTable(t, title: "W<1> & \"b\""));
        Assert.Contains("W&lt;1&gt; &amp; &quot;b&quot;", html);
        Assert.Equal("W<1> & \"b\"", Render.Xml(html).Descendants("b").Single().Value);
        Assert.Throws<ArgumentNullException>(() => Notebook.Table(null!));
        var e = Assert.Throws<ShapeException>(() => Notebook.Heatmap(Tensor.Zeros(2, 2, 2)));
        Assert.Contains("(2, 2, 2)", e.Message);
        Assert.Throws<ShapeException>(() => Notebook.Table(Tensor.Scalar(1f)));
        Assert.Equal(new[] { "text/html", "text/plain" }, Formatter.GetPreferredMimeTypesFor(typeof(TensorTable)).ToArray());
        Assert.Equal(new[] { "text/html", "text/plain" }, Formatter.GetPreferredMimeTypesFor(typeof(Tensor)).ToArray());
    }

    private static (int R, int G, int B) Background(XElement cell)
    {
        var style = (string)cell.Attribute("style")!;
        int at = style.IndexOf("background-color:#", StringComparison.Ordinal) + "background-color:#".Length;
        int Hex(int i) => int.Parse(style.Substring(at + 2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return (Hex(0), Hex(1), Hex(2));
    }
}
