package dev.gradbook.examples;

import dev.gradbook.examples.cli.Chapter;
import dev.gradbook.examples.cli.ChapterContext;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.cli.RunOptions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs a chapter at its quick setting for a test, keeping what it printed. */
public final class ChapterRunner {
    private ChapterRunner() {
    }

    /** The outcome of one run: the result and the printed text. */
    public record Run(Result result, String output, Path outDir) {
    }

    /** The outcome of one command line: exit code and what went to stdout and stderr. */
    public record Cli(int code, String out, String err) {
    }

    /** Runs {@code Main} on {@code args} as the command line would, capturing its output. */
    public static Cli main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static Run quick(String id) throws Exception {
        return quick(id, Map.of());
    }

    public static Run quick(String id, Map<String, String> options) throws Exception {
        return run(id, RunOptions.quick(id, Path.of("target", "chapter-out")).withExtra(options));
    }

    /**
     * The chapter's default (not quick) run, seed 42, output under target/chapter-out/&lt;id&gt;-default:
     * for the few tests that check a claim the roadmap makes about the default run.
     */
    public static Run defaultRun(String id) throws Exception {
        RunOptions quick = RunOptions.quick(id, Path.of("target", "chapter-out"));
        return run(id, new RunOptions(false, quick.seed(), Path.of("target", "chapter-out", id + "-default"),
                quick.steps(), quick.dataDir(), quick.extra()));
    }

    private static Run run(String id, RunOptions opts) throws Exception {
        Chapter chapter = Chapters.all().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no chapter " + id));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            Result result = chapter.run(new ChapterContext(chapter, opts, out));
            return new Run(result, buffer.toString(StandardCharsets.UTF_8), opts.outDir());
        }
    }
}
