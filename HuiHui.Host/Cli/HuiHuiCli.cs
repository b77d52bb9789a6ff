using System.CommandLine;
using HuiHui.Host.Hosting;
using HuiHui.Modules.Experts.Contracts;
using HuiHui.Modules.Shared.Contracts;

namespace HuiHui.Host.Cli;

/// <summary>
/// The verbs of the one binary. No verb (or only options, as WebApplicationFactory passes) means <c>run</c>.
/// Exit codes: 0 success, 1 the verb failed (e.g. PostgreSQL unreachable), 2 bad usage.
/// </summary>
internal static class HuiHuiCli
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly string[] RootOptions = ["--help", "-h", "-?", "--version"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || (args[0].StartsWith('-') && !RootOptions.Contains(args[0])))
        {
            return await WebHost.RunAsync(args);
        }

        var json = new Option<bool>("--json") { Description = "Machine-readable output (one JSON document on stdout).", Recursive = true };
        var root = new RootCommand("HuiHui — options-market expert system. Without a verb, runs the hub.");
        root.Options.Add(json);

        var run = new Command("run", "Run the hub, the ingestion loop and the experts (the default).") { TreatUnmatchedTokensAsErrors = false };
        run.SetAction((parse, cancellationToken) => WebHost.RunAsync([.. parse.UnmatchedTokens]));
        root.Subcommands.Add(run);

        var migrate = new Command("migrate", "Apply every module's pending database migrations and print what was applied.");
        migrate.SetAction((parse, cancellationToken) => MigrateVerb.RunAsync(new CliOutput(parse.GetValue(json)), cancellationToken));
        root.Subcommands.Add(migrate);

        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols (default: the watch-list)." };
        var days = new Option<int>("--days") { Description = "Days of daily history (default 30).", DefaultValueFactory = _ => 30 };
        var source = new Option<string?>("--source") { Description = "Provider: simulated, tradier, cboe, file or file:PATH (default: the configured order)." };
        var backfill = new Command("backfill", "Fetch daily history into market_data (idempotent).") { symbols, days, source };
        backfill.SetAction((parse, cancellationToken) => BackfillVerb.RunAsync(
            new CliOutput(parse.GetValue(json)), parse.GetValue(symbols), parse.GetValue(days), parse.GetValue(source), cancellationToken));
        root.Subcommands.Add(backfill);

        root.Subcommands.Add(PriceCommand(json));

        var symbolArgument = new Argument<string>("SYMBOL") { Description = "The underlying, e.g. SPY." };
        var analyzeSource = new Option<string?>("--source") { Description = "simulated, tradier, cboe or file:PATH (default: the configured order, or the cached snapshot)." };
        var analyzeDte = new Option<string?>("--dte") { Description = "Days to expiry to keep: N, MIN-MAX, MIN- or -MAX (e.g. 0-5; default: the configured slice, else the whole chain)." };
        var analyzeRange = new Option<string?>("--strike-range") { Description = "Strikes within ±N % of spot (e.g. 5; default: the configured slice, else every strike)." };
        var analyze = new Command("analyze", "Run the metrics and the four experts on one symbol and print the analysis.") { symbolArgument, analyzeSource, analyzeDte, analyzeRange };
        analyze.SetAction((parse, cancellationToken) => AnalyzeVerb.RunAsync(
            new CliOutput(parse.GetValue(json)), parse.GetValue(symbolArgument)!, parse.GetValue(analyzeSource), parse.GetValue(analyzeDte), parse.GetValue(analyzeRange), cancellationToken));
        root.Subcommands.Add(analyze);

        var backtestSymbols = new Argument<string>("SYMBOLS") { Description = "One or more underlyings, comma-separated, e.g. SPY,QQQ." };
        var backtestSource = new Option<string>("--source") { Description = "simulated (the built-in market), archive (market_data) or file:PATH.", Required = true };
        var backtestFrom = new Option<string?>("--from") { Description = "First snapshot time, ISO 8601 (default: all stored; simulated: five sessions before its start date)." };
        var backtestTo = new Option<string?>("--to") { Description = "Last snapshot time, ISO 8601." };
        var backtestEvery = new Option<int?>("--every") { Description = "Minutes between simulated snapshots (default 1)." };
        var backtest = new Command("backtest", "Replay a source through the live pipeline, follow its trade ideas and score them beside baselines.")
            { backtestSymbols, backtestSource, backtestFrom, backtestTo, backtestEvery };
        backtest.SetAction((parse, cancellationToken) => BacktestVerb.RunAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(backtestSymbols)!, parse.GetValue(backtestSource)!,
            parse.GetValue(backtestFrom), parse.GetValue(backtestTo), parse.GetValue(backtestEvery), cancellationToken));
        root.Subcommands.Add(backtest);

        var ideasSymbol = new Argument<string?>("SYMBOL") { Description = "Only this underlying (default: every symbol).", Arity = ArgumentArity.ZeroOrOne };
        var ideas = new Command("ideas", "The record of the trade ideas: scorecard, open ideas with their mark, recent closed ones.") { ideasSymbol };
        ideas.SetAction((parse, cancellationToken) => IdeasVerb.RunAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(ideasSymbol), cancellationToken));
        root.Subcommands.Add(ideas);

        var replaySymbol = new Argument<string>("SYMBOL") { Description = "The underlying, e.g. SPY." };
        var replaySource = new Option<string>("--source") { Description = "file:PATH (a payload file or a folder of them) or archive (market_data).", Required = true };
        var replayFrom = new Option<string?>("--from") { Description = "First snapshot time, ISO 8601 (UTC when no offset is given)." };
        var replayTo = new Option<string?>("--to") { Description = "Last snapshot time, ISO 8601 (UTC when no offset is given)." };
        var replay = new Command("replay", "Run every snapshot of a source through the pipeline in time order: one analysis per snapshot.") { replaySymbol, replaySource, replayFrom, replayTo };
        replay.SetAction((parse, cancellationToken) => ReplayVerb.RunAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(replaySymbol)!, parse.GetValue(replaySource)!,
            parse.GetValue(replayFrom), parse.GetValue(replayTo), cancellationToken));
        root.Subcommands.Add(replay);

        var cycles = new Option<int>("--cycles") { Description = "Measured cycles (default 1000; 200 warm-up cycles come first, so the JIT has tiered up).", DefaultValueFactory = _ => 1000 };
        var contracts = new Option<int>("--contracts") { Description = "Chain size (default 5000).", DefaultValueFactory = _ => 5000 };
        var benchSymbol = new Option<string>("--symbol") { Description = "Simulated symbol (default SPY).", DefaultValueFactory = _ => "SPY" };
        var bench = new Command("bench", "Time the analysis pipeline per stage on a simulated chain (p50/p99).") { cycles, contracts, benchSymbol };
        bench.SetAction((parse, cancellationToken) => BenchVerb.RunAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(benchSymbol)!, parse.GetValue(cycles), parse.GetValue(contracts), cancellationToken));
        root.Subcommands.Add(bench);

        var ingestPaths = new Argument<string[]>("PATH") { Description = "Files or folders (recursively).", Arity = ArgumentArity.OneOrMore };
        var ingestTags = new Option<string[]>("--tag") { Description = "Tags for the documents (repeatable).", AllowMultipleArgumentsPerToken = true };
        var ingestDocs = new Command("ingest-docs", "Add Markdown, PDF, notebook, HTML and text files to the education corpus.") { ingestPaths, ingestTags };
        ingestDocs.SetAction((parse, cancellationToken) => EducationVerbs.IngestAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(ingestPaths)!, parse.GetValue(ingestTags) ?? [], cancellationToken));
        root.Subcommands.Add(ingestDocs);

        var searchQuery = new Argument<string>("QUERY") { Description = "What to look for." };
        var searchK = new Option<int>("--k") { Description = "Passages to return (default 5).", DefaultValueFactory = _ => 5 };
        var search = new Command("search", "Hybrid search of the education corpus.") { searchQuery, searchK };
        search.SetAction((parse, cancellationToken) => EducationVerbs.SearchAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(searchQuery)!, parse.GetValue(searchK), cancellationToken));
        root.Subcommands.Add(search);

        var labels = new Option<string>("--labels") { Description = "CSV with the header label,text (labels positive, negative, neutral).", Required = true };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds (default 5).", DefaultValueFactory = _ => 5 };
        var trainSentiment = new Command("sentiment", "Train the 3-class sentiment classifier; promoted only if it beats the active one.") { labels, folds };
        trainSentiment.SetAction((parse, cancellationToken) => LearningVerbs.TrainSentimentAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(labels)!, parse.GetValue(folds), cancellationToken));
        var horizon = new Option<TimeSpan>("--horizon") { Description = "Label horizon of the examples (default 00:15:00).", DefaultValueFactory = _ => TimeSpan.FromMinutes(15) };
        var trainMeta = new Command("meta", "Train the meta gating model on the labelled examples (time-ordered validation); promoted only if better.") { horizon };
        trainMeta.SetAction((parse, cancellationToken) => LearningVerbs.TrainMetaAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(horizon), cancellationToken));
        var trainIdeas = new Command("ideas", "Learn which conviction is worth trading per strategy and regime from the closed ideas (validated on the newest 30 %); promoted only if better.");
        trainIdeas.SetAction((parse, cancellationToken) => LearningVerbs.TrainIdeasAsync(new CliOutput(parse.GetValue(json)), cancellationToken));
        var train = new Command("train", "Train a model (meta, sentiment or the idea gate) and report its validation.") { trainMeta, trainSentiment, trainIdeas };
        root.Subcommands.Add(train);

        var clusterStatus = new Command("status", "The nodes, their last heartbeat and the symbols each holds.");
        clusterStatus.SetAction((parse, cancellationToken) => ClusterVerb.StatusAsync(new CliOutput(parse.GetValue(json)), cancellationToken));
        root.Subcommands.Add(new Command("cluster", "Several nodes on one PostgreSQL (./huihui.sh cluster up|status|down runs them locally).") { clusterStatus });

        var sentence = new Argument<string?>("TEXT") { Description = "A sentence to score.", Arity = ArgumentArity.ZeroOrOne };
        var sentencesFile = new Option<string?>("--file") { Description = "A file with one sentence per line." };
        var sentiment = new Command("sentiment", "Score sentences with the active sentiment model (the lexicon when none is trained).") { sentence, sentencesFile };
        sentiment.SetAction((parse, cancellationToken) => LearningVerbs.SentimentAsync(new CliOutput(parse.GetValue(json)), parse.GetValue(sentence), parse.GetValue(sentencesFile), cancellationToken));
        root.Subcommands.Add(sentiment);

        if (!RootOptions.Contains(args[0]) && root.Subcommands.All(c => c.Name != args[0]))
        {
            return new CliOutput(args.Contains("--json")).Fail(Usage, $"unknown verb '{args[0]}'.", UsageText(root));
        }

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var output = new CliOutput(args.Contains("--json"));
            return output.Fail(Usage, string.Join(Environment.NewLine, parseResult.Errors.Select(e => e.Message)), UsageText(root));
        }

        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException error)
        {
            return new CliOutput(args.Contains("--json")).Fail(Usage, "configuration: " + string.Join("; ", error.Failures));
        }
        catch (Exception error) when (Cause<MissingConnectionStringException>(error) is { } missing)
        {
            return new CliOutput(args.Contains("--json")).Fail(Usage, "configuration: " + missing.Message);
        }
        catch (Exception error) when (MissingSchema(error) is { } missing)
        {
            return new CliOutput(args.Contains("--json")).Fail(Failed,
                $"the database has not been migrated to this version ({missing.MessageText}); run `huihui migrate` (./huihui.sh migrate) first.");
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(error.ToString());
            return Failed;
        }
    }

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain of causes that <paramref name="matches"/>, or null.</summary>
    private static T? Cause<T>(Exception? error, Func<T, bool>? matches = null)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found && (matches is null || matches(found)))
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>A table, schema or column this version's migrations create, missing from the database (found in the chain of causes).</summary>
    private static Npgsql.PostgresException? MissingSchema(Exception? error) =>
        Cause<Npgsql.PostgresException>(error, e => e.SqlState is Npgsql.PostgresErrorCodes.UndefinedTable or Npgsql.PostgresErrorCodes.InvalidSchemaName or Npgsql.PostgresErrorCodes.UndefinedColumn);

    private static Command PriceCommand(Option<bool> json)
    {
        var right = new Option<OptionRight>("--right") { Description = "call or put.", Required = true };
        var spot = new Option<double>("--spot") { Description = "Underlying price.", Required = true };
        var strike = new Option<double>("--strike") { Description = "Strike.", Required = true };
        var years = new Option<double>("--years") { Description = "Time to expiry in years (calendar, 365 days).", Required = true };
        var rate = new Option<double>("--rate") { Description = "Risk-free rate, continuously compounded decimal (0.05).", DefaultValueFactory = _ => 0 };
        var dividend = new Option<double>("--dividend") { Description = "Dividend yield, continuously compounded decimal.", DefaultValueFactory = _ => 0 };
        var vol = new Option<double?>("--vol") { Description = "Volatility, decimal (0.2). Or give --premium." };
        var premium = new Option<double?>("--premium") { Description = "Option premium, to solve the implied volatility." };
        var price = new Command("price", "Black-Scholes-Merton price, greeks and implied volatility of one option.") { right, spot, strike, years, rate, dividend, vol, premium };
        price.SetAction((parse, cancellationToken) => PriceVerb.RunAsync(
            new CliOutput(parse.GetValue(json)),
            new PriceOption(parse.GetValue(right), parse.GetValue(spot), parse.GetValue(strike), parse.GetValue(years), parse.GetValue(rate), parse.GetValue(dividend), parse.GetValue(vol), parse.GetValue(premium)),
            cancellationToken));
        return price;
    }

    private static string UsageText(RootCommand root) =>
        "Usage: huihui [VERB] [options]" + Environment.NewLine + "Verbs:" + Environment.NewLine +
        string.Join(Environment.NewLine, root.Subcommands.Select(c => $"  {c.Name,-10} {c.Description}")) + Environment.NewLine +
        "Every verb accepts --json. Run `huihui VERB --help` for its options.";
}
