// TODO(H1): standalone simulator: dotnet run --project Moxxie.Simulator -- --urls https://127.0.0.1:8006 --preset small --seed 1 --token 'root@pam!moxxie=SECRET'
Console.WriteLine("Moxxie.Simulator");
