// The TensorFlow 2 GradientTape tutorial, section by section, in FunctionalAD.
//   dotnet run --project examples/Tutorial            runs every section
//   dotnet run --project examples/Tutorial -- 3.3     runs one section
var sections = new (string Id, string Title, Action Run)[]
{
    ("1.1", "tape options and unconnected gradients", Section11TapeOptions.Run),
    ("1.3", "watch and gradient", Section13WatchAndGradient.Run),
    ("3.1", "mean squared error, three ways", Section31MseFormulas.Run),
    ("3.2", "the gradient of MSE through softmax", Section32MseGradient.Run),
    ("3.3", "cross-entropy", Section33CrossEntropy.Run),
    ("3.4", "the gradient of cross-entropy from logits", Section34CrossEntropyGradient.Run),
    ("4", "gradient descent", Section4GradientDescent.Run),
    ("5", "eager values: computed values keep what they read", Section5EagerValues.Run),
};

var chosen = args.Length == 0 ? sections : sections.Where(s => args.Contains(s.Id)).ToArray();
if (chosen.Length == 0)
{
    Console.Error.WriteLine($"unknown section; choose from {string.Join(", ", sections.Select(s => s.Id))}");
    return 1;
}
foreach (var (id, title, run) in chosen)
{
    Console.WriteLine($"== {id} {title} ==");
    run();
    Console.WriteLine();
}
return 0;
