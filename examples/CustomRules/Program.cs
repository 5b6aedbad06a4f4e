using FunctionalAD.Examples;

CustomRulesExample.Run(Console.Out);
