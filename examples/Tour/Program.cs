using FunctionalAD.Examples;

Tour.Run(Console.Out);
