using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FunctionalAD.Interactive.Tests;

/// <summary>
/// The rules of the nbformat 4.5 JSON schema that a notebook file can break, checked one by one, plus the
/// metadata Polyglot Notebooks needs to pick the .NET kernel. Returns every problem found, empty when valid.
/// </summary>
internal static partial class NotebookJson
{
    private static readonly string[] OutputTypes = { "stream", "display_data", "execute_result", "error" };

    public static List<string> Problems(JsonNode root, string kernelName, string kernelLanguage)
    {
        var p = new List<string>();
        if (root is not JsonObject nb) return new List<string> { "the top level is not an object" };
        Require(nb, new[] { "cells", "metadata", "nbformat", "nbformat_minor" }, "notebook", p);
        if (nb["nbformat"]?.GetValue<int>() != 4) p.Add("nbformat must be 4");
        if (nb["nbformat_minor"]?.GetValue<int>() is not >= 5) p.Add("nbformat_minor must be 5 or more (cell ids)");
        var ks = nb["metadata"]?["kernelspec"];
        if (ks?["name"]?.GetValue<string>() != kernelName) p.Add($"metadata.kernelspec.name must be {kernelName}");
        if (ks?["display_name"] is null) p.Add("metadata.kernelspec.display_name is missing");
        if (ks?["language"]?.GetValue<string>() != kernelLanguage) p.Add($"metadata.kernelspec.language must be {kernelLanguage}");
        if (nb["metadata"]?["language_info"]?["name"] is null) p.Add("metadata.language_info.name is missing");
        var kernelInfo = nb["metadata"]?["polyglot_notebook"]?["kernelInfo"];
        var polyglotKernel = kernelName == ".net-csharp" ? "csharp" : "fsharp";
        if (kernelInfo?["defaultKernelName"]?.GetValue<string>() != polyglotKernel) p.Add($"metadata.polyglot_notebook.kernelInfo.defaultKernelName must be {polyglotKernel}");
        if (nb["cells"] is not JsonArray cells) { p.Add("cells must be an array"); return p; }
        var ids = new HashSet<string>();
        for (int i = 0; i < cells.Count; i++)
        {
            var where = $"cell {i}";
            if (cells[i] is not JsonObject cell) { p.Add($"{where} is not an object"); continue; }
            var id = cell["id"]?.GetValue<string>();
            if (id is null || !CellId().IsMatch(id)) p.Add($"{where}: id must be 1-64 letters, digits, '-' or '_'");
            else if (!ids.Add(id)) p.Add($"{where}: id '{id}' is used twice");
            if (cell["metadata"] is not JsonObject) p.Add($"{where}: metadata must be an object");
            if (!MultilineString(cell["source"])) p.Add($"{where}: source must be a string or an array of strings");
            switch (cell["cell_type"]?.GetValue<string>())
            {
                case "markdown" or "raw":
                    if (cell.ContainsKey("outputs") || cell.ContainsKey("execution_count")) p.Add($"{where}: a {cell["cell_type"]} cell has no outputs or execution_count");
                    break;
                case "code":
                    if (!cell.ContainsKey("execution_count") || cell["execution_count"] is { } n && n.GetValueKind() != System.Text.Json.JsonValueKind.Number)
                        p.Add($"{where}: execution_count must be present, null or an integer");
                    if (cell["outputs"] is not JsonArray outputs) { p.Add($"{where}: outputs must be an array"); break; }
                    if (cell["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>() != polyglotKernel)
                        p.Add($"{where}: metadata.polyglot_notebook.kernelName must be {polyglotKernel}");
                    foreach (var o in outputs) Output(o, where, p);
                    break;
                default:
                    p.Add($"{where}: cell_type must be markdown, code or raw");
                    break;
            }
            var allowed = new HashSet<string> { "id", "cell_type", "metadata", "source", "outputs", "execution_count", "attachments" };
            foreach (var key in cell.Select(kv => kv.Key).Where(k => !allowed.Contains(k))) p.Add($"{where}: unknown property '{key}'");
        }
        return p;
    }

    private static void Output(JsonNode? o, string where, List<string> p)
    {
        var type = o?["output_type"]?.GetValue<string>();
        if (type is null || !OutputTypes.Contains(type)) { p.Add($"{where}: an output has no valid output_type"); return; }
        switch (type)
        {
            case "stream":
                if (o!["name"]?.GetValue<string>() is not ("stdout" or "stderr")) p.Add($"{where}: a stream output is named stdout or stderr");
                if (!MultilineString(o["text"])) p.Add($"{where}: a stream output's text must be a (multiline) string");
                break;
            case "display_data" or "execute_result":
                if (o!["data"] is not JsonObject data || data.Any(kv => !MimeType().IsMatch(kv.Key) || !MultilineString(kv.Value)))
                    p.Add($"{where}: a {type} needs data, a MIME bundle of (multiline) strings");
                if (o["metadata"] is not JsonObject) p.Add($"{where}: a {type} needs metadata");
                if (type == "execute_result" && o["execution_count"] is null) p.Add($"{where}: an execute_result needs execution_count");
                break;
        }
    }

    private static void Require(JsonObject o, string[] keys, string what, List<string> p)
    {
        foreach (var k in keys) if (!o.ContainsKey(k)) p.Add($"{what}: '{k}' is missing");
    }

    private static bool MultilineString(JsonNode? n) =>
        n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
        || n is JsonArray a && a.All(x => x is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex CellId();

    [GeneratedRegex("^[a-z]+/[-+.a-zA-Z0-9]+$")]
    private static partial Regex MimeType();
}
