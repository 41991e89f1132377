package dev.gradbook.examples.cli;

import dev.gradbook.core.Rng;
import dev.gradbook.nn.train.ProgressReporter;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a running chapter can ask for: its options, a seeded generator, where to write pictures,
 * where to read data, and where to print.
 */
public final class ChapterContext {
    private final Chapter chapter;
    private final RunOptions options;
    private final PrintStream out;

    public ChapterContext(Chapter chapter, RunOptions options, PrintStream out) {
        this.chapter = chapter;
        this.options = options;
        this.out = out;
    }

    public boolean quick() {
        return options.quick();
    }

    public long seed() {
        return options.seed();
    }

    /** A new generator from the run's seed: call once and pass it (or its splits) around. */
    public Rng rng() {
        return new Rng(options.seed());
    }

    /** {@code --steps} if given, else the chapter's quick or default number. */
    public int steps(int defaultSteps, int quickSteps) {
        if (options.steps() > 0) {
            return options.steps();
        }
        return quick() ? quickSteps : defaultSteps;
    }

    /** The output folder, created on first use. */
    public Path outDir() {
        try {
            return Files.createDirectories(options.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output folder " + options.outDir(), e);
        }
    }

    /** A file in the output folder. */
    public Path outFile(String name) {
        return outDir().resolve(name);
    }

    // ------------------------------------------------------------ chapter options

    /** The value of a chapter option (its declared default if not given). */
    public String option(String name) {
        String v = options.extra().get(name);
        if (v != null) {
            return v;
        }
        for (Option o : chapter.options()) {
            if (o.name().equals(name)) {
                return o.flag() ? null : o.defaultValue();
            }
        }
        throw new IllegalArgumentException("chapter '" + chapter.id() + "' declares no option --" + name);
    }

    /** A whole-number option; a value that is not one is a usage error (exit 2), as at parse time. */
    public int intOption(String name) {
        String v = option(name);
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.UsageException("--" + name + " must be a whole number, got '"
                    + CommandLine.shorten(v) + "'");
        }
    }

    /** A number option; a value that is not a finite number is a usage error (exit 2). */
    public float floatOption(String name) {
        String v = option(name);
        try {
            float x = Float.parseFloat(v.strip());
            if (Float.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.UsageException("--" + name + " must be a finite number, got '"
                + CommandLine.shorten(v) + "'");
    }

    public boolean flag(String name) {
        return "true".equals(options.extra().get(name));
    }

    // ------------------------------------------------------------ data

    /**
     * Opens a shipped data set by its path under {@code data/} (e.g. {@code "tabular/iris.csv"}):
     * from {@code --data DIR} if given, else from the copy inside the jar.
     */
    public InputStream openData(String relative) throws IOException {
        return Datasets.open(options.dataDir(), relative);
    }

    /** A description of where {@link #openData} reads from, for messages. */
    public String dataSource(String relative) {
        return Datasets.describe(options.dataDir(), relative);
    }

    // ------------------------------------------------------------ printing

    /** A progress line for a training loop of {@code totalSteps} (silent when -Dgradbook.quiet=true). */
    public ProgressReporter progress(String label, long totalSteps) {
        return new ProgressReporter(label, totalSteps, out, ProgressReporter.defaultMode(), System::nanoTime);
    }

    public PrintStream out() {
        return out;
    }

    public void println(String line) {
        out.println(line);
    }

    public void printf(String format, Object... args) {
        out.print(String.format(Locale.ROOT, format, args));
    }

    /** A section heading in the chapter's output. */
    public void section(String title) {
        out.println();
        out.println("-- " + title + " " + "-".repeat(Math.max(0, 60 - title.length())));
    }

    /** Prints a table with a header row; columns are padded to fit. */
    public void table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        for (List<String> r : rows) {
            appendRow(sb, r, width);
        }
        out.print(sb);
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            sb.append(c == 0 ? "  " : "  ").append(String.format(Locale.ROOT, "%" + width[c] + "s", cells.get(c)));
        }
        sb.append('\n');
    }
}
